import { describe, expect, it } from 'vitest';
import { EventSchema, StateFileSchema } from '../src/index.js';
import { migrateEvent, migrateState } from '../src/schema-migrations.js';
import { eventV1ToV2, stateV1ToV2 } from '../src/schema-v1-to-v2.js';

/** Version 1 records as version 1 wrote them. */
const stamp = { id: 'e1', timestamp: '2026-11-22T00:51:26.575Z' };
const v1Call = (name: string, args: string) => ({ id: 'call_1', type: 'function', function: { name, arguments: args } });
const v1Action = (name: string, action: Record<string, unknown> | null) => ({
  kind: 'ActionEvent',
  ...stamp,
  source: 'agent',
  thought: [],
  action,
  tool_name: name,
  tool_call_id: 'call_1',
  tool_call: v1Call(name, '{}'),
  llm_response_id: 'r1',
  security_risk: 'UNKNOWN',
});
const v1Observation = (name: string, observation: Record<string, unknown>) => ({
  kind: 'ObservationEvent',
  ...stamp,
  source: 'environment',
  observation: { content: [{ type: 'text', text: 'ok' }], is_error: false, ...observation },
  action_id: 'a1',
  tool_name: name,
  tool_call_id: 'call_1',
});

/** The migrated event, checked by version 2's schema. */
const v2 = (event: unknown) => EventSchema.parse(eventV1ToV2(event));

describe('schema version 1 → 2 (pure)', () => {
  it('tool calls become MessageToolCalls; a built-in’s arguments get its action kind, a custom tool’s become MCP data', () => {
    expect(v2(v1Action('terminal', { command: 'ls', is_input: false, reset: false }))).toMatchObject({
      action: { kind: 'TerminalAction', command: 'ls', is_input: false, reset: false },
      tool_call: { id: 'call_1', name: 'terminal', arguments: '{}', origin: 'completion' },
    });
    expect(v2(v1Action('planning_file_editor', { command: 'view', path: '/w' }))).toMatchObject({ action: { kind: 'PlanningFileEditorAction', command: 'view', path: '/w' } });
    expect(v2(v1Action('echo', { text: 'hi' }))).toMatchObject({ action: { kind: 'MCPToolAction', data: { text: 'hi' } } });
    expect(v2(v1Action('nonexistent', null))).toMatchObject({ action: null });
  });

  it('observations get their kind; the terminal’s flat prompt fields move into its metadata; a custom tool’s extra fields go', () => {
    const terminal = v2(v1Observation('terminal', { command: 'ls', exit_code: 0, timeout: false, working_dir: '/w', py_interpreter_path: null, pid: null }));
    expect(terminal).toMatchObject({
      observation: { kind: 'TerminalObservation', command: 'ls', exit_code: 0, timeout: false, metadata: { exit_code: 0, pid: -1, working_dir: '/w', py_interpreter_path: null } },
    });
    expect(v2(v1Observation('terminal', { command: 'x', exit_code: null }))).toMatchObject({ observation: { kind: 'TerminalObservation', exit_code: null } });
    expect(v2(v1Observation('glob', { files: [], pattern: '*', search_path: '/w', truncated: false }))).toMatchObject({ observation: { kind: 'GlobObservation', files: [] } });
    expect(v2(v1Observation('echo', { role: 'admin' }))).toMatchObject({
      observation: { kind: 'MCPToolObservation', content: [{ type: 'text', text: 'ok' }], is_error: false, tool_name: 'echo' },
    });
    expect(JSON.stringify(v2(v1Observation('echo', { role: 'admin' })))).not.toContain('admin');
  });

  it('OpenAI tool specs become OpenHands tool definitions; an MCP tool’s input schema drops the model’s security_risk', () => {
    const spec = (name: string) => ({
      type: 'function',
      function: { name, description: `${name}!`, parameters: { type: 'object', properties: { security_risk: { type: 'string' }, text: { type: 'string' } }, required: ['text'] } },
    });
    const prompt = v2({ kind: 'SystemPromptEvent', ...stamp, source: 'agent', system_prompt: { type: 'text', text: 'p' }, tools: [spec('task_tracker'), spec('echo')] });
    expect(prompt).toMatchObject({
      tools: [
        { kind: 'TaskTrackerTool', description: 'task_tracker!', action_type: 'TaskTrackerAction', observation_type: 'TaskTrackerObservation', title: 'task_tracker' },
        {
          kind: 'MCPToolDefinition',
          action_type: 'MCPToolAction',
          title: 'echo',
          mcp_tool: { name: 'echo', description: 'echo!', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } },
        },
      ],
    });
  });

  it('fields OpenHands does not have go: a pause’s reason, a stuck pattern (it leads the detail instead)', () => {
    expect(v2({ kind: 'PauseEvent', ...stamp, source: 'environment', reason: 'Recovered.' })).toEqual({ kind: 'PauseEvent', ...stamp, source: 'environment' });
    expect(v2({ kind: 'ConversationErrorEvent', ...stamp, source: 'environment', code: 'Stuck', detail: 'Repeated.', stuck_pattern: 'monologue' })).toMatchObject({
      code: 'Stuck',
      detail: 'monologue: Repeated.',
    });
    const message = { kind: 'MessageEvent', ...stamp, source: 'user', llm_message: { role: 'user', content: [{ type: 'text', text: 'hi' }] }, activated_skills: [], extended_content: [] };
    expect(v2(message)).toEqual(message);
  });

  it('state: cost times become epoch seconds, token usages get OpenHands’ model, context window and turn size', () => {
    const usage = { prompt_tokens: 100, completion_tokens: 10, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 };
    const state = {
      schema_version: 1,
      id: 'c',
      agent: { llm: { usage_id: 'agent', model: 'openai/gpt-4o' }, tools: [], tool_concurrency: 1 },
      workspace: '/w',
      execution_status: 'finished',
      confirmation_policy: { kind: 'NeverConfirm' },
      max_iterations: 5,
      stuck_detection: false,
      stats: {
        usage_to_metrics: {
          agent: {
            model_name: 'openai/gpt-4o',
            accumulated_cost: 0.5,
            accumulated_token_usage: usage,
            costs: [{ model: 'openai/gpt-4o', cost: 0.5, timestamp: '2026-11-22T00:00:01.500Z' }],
            response_latencies: [],
            token_usages: [{ ...usage, response_id: 'r1' }],
          },
        },
      },
      created_at: '2026-11-22T00:00:00.000Z',
      updated_at: '2026-11-22T00:00:01.000Z',
      secret_names: [],
      queued_messages: [],
      event_count: 0,
    };
    const migrated = StateFileSchema.parse(stateV1ToV2(state));
    expect(migrated.schema_version).toBe(2);
    const metrics = migrated.stats.usage_to_metrics.agent!;
    expect(metrics.costs[0]!.timestamp).toBe(Date.parse('2026-11-22T00:00:01.500Z') / 1000);
    expect(metrics.token_usages[0]).toEqual({ model: 'openai/gpt-4o', ...usage, context_window: 0, per_turn_token: 110, response_id: 'r1' });
    expect(metrics.accumulated_token_usage).toEqual({ model: 'openai/gpt-4o', ...usage, context_window: 0, per_turn_token: 110, response_id: '' });
  });

  it('migrations chain one step per version; a version without a step is refused', () => {
    expect(migrateEvent(v1Action('think', { thought: 't' }), 1, 2)).toEqual(eventV1ToV2(v1Action('think', { thought: 't' })));
    expect(migrateEvent({ kind: 'PauseEvent' }, 2, 2)).toEqual({ kind: 'PauseEvent' });
    expect(migrateState({ schema_version: 1 }, 1, 2)).toMatchObject({ schema_version: 2 });
    expect(() => migrateEvent({}, 0, 2)).toThrow(/No migration from schema version 0/);
  });
});
