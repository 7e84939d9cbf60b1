import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  actionErrorNudge,
  agentFinalResponse,
  DEFAULT_TOOLS,
  defineTool,
  detectStuck,
  normalizeConfirmationPolicy,
  normalizeStuckDetection,
  parseToolCall,
  requiresConfirmation,
  type StuckThresholds,
  type ToolDefinition,
} from '../src/index.js';
import { action, agentError, agentMessage, call, observation, userMessage } from './events-fixture.js';

const write = defineTool({ name: 'write', description: 'Writes.', parameters: z.object({ path: z.string(), lines: z.array(z.number()).optional() }), execute: () => 'ok' });
const view = defineTool({ name: 'view', description: 'Views.', parameters: z.object({ path: z.string() }), readOnly: true, execute: () => 'ok' });
const tools = new Map<string, ToolDefinition>([[write.name, write], [view.name, view], ...DEFAULT_TOOLS.map((tool) => [tool.name, tool] as const)]);

describe('parseToolCall (pure)', () => {
  it('validates arguments, repairs what it can, and reads security_risk (typos included)', () => {
    expect(parseToolCall(call('1', 'write', { path: '/a', securtiy_risk: 'high', lines: '[1, 2]' }), tools)).toEqual({
      ok: true,
      tool: write,
      args: { path: '/a', lines: [1, 2] },
      securityRisk: 'HIGH',
    });
    expect(parseToolCall(call('1', 'write</parameter', { path: '/a' }), tools)).toMatchObject({ ok: true, tool: write });
  });

  it('names what is wrong without echoing values', () => {
    const unknown = parseToolCall(call('1', 'delete_all', {}), tools);
    expect(unknown).toMatchObject({ ok: false, error: expect.stringContaining("Tool 'delete_all' not found. Available: [write, view, finish, think]") });
    const invalid = parseToolCall(call('1', 'write', { path: 42, token: 'sk-secret' }), tools);
    expect(invalid).toMatchObject({ ok: false, toolName: 'write', error: expect.stringContaining('Parameters provided: [path, token]') });
    expect(invalid.ok === false && invalid.error).not.toContain('sk-secret');
    expect(parseToolCall(call('1', 'write', '{nope'), tools)).toMatchObject({ ok: false, historyArguments: JSON.stringify({ malformed_arguments: '{nope' }) });
  });
});

describe('requiresConfirmation (pure)', () => {
  const risky = { ...action('1', 'write', { path: '/a' }), security_risk: 'HIGH' as const };
  const unknownRisk = action('2', 'write', { path: '/a' });
  const readOnly = { ...action('3', 'view', { path: '/a' }), security_risk: 'HIGH' as const };

  it('never, always, and read-only tools', () => {
    expect(requiresConfirmation(normalizeConfirmationPolicy('never'), [risky], tools)).toBe(false);
    expect(requiresConfirmation(normalizeConfirmationPolicy('always'), [unknownRisk], tools)).toBe(true);
    expect(requiresConfirmation(normalizeConfirmationPolicy('always'), [readOnly], tools)).toBe(false);
  });

  it('risky: at or above the threshold, and unknown risk when confirm_unknown', () => {
    expect(requiresConfirmation(normalizeConfirmationPolicy('risky'), [risky], tools)).toBe(true);
    expect(requiresConfirmation(normalizeConfirmationPolicy('risky'), [unknownRisk], tools)).toBe(true);
    expect(requiresConfirmation({ kind: 'ConfirmRisky', threshold: 'HIGH', confirm_unknown: false }, [unknownRisk], tools)).toBe(false);
    expect(requiresConfirmation({ kind: 'ConfirmRisky', threshold: 'HIGH', confirm_unknown: false }, [{ ...risky, security_risk: 'MEDIUM' }], tools)).toBe(false);
  });
});

describe('detectStuck (pure)', () => {
  const thresholds = normalizeStuckDetection(true) as StuckThresholds;
  const repeat = (times: number, make: (index: number) => ReturnType<typeof action>[]) => Array.from({ length: times }, (_, index) => make(index)).flat();

  it('the same action and observation four times', () => {
    const events = [userMessage('go'), ...repeat(4, (i) => { const a = action(`a${i}`, 'view', { path: '/x' }); return [a, observation(a, 'same')] as never; })];
    expect(detectStuck(events, thresholds)).toMatchObject({ pattern: 'repeating_action_observation' });
    expect(detectStuck(events.slice(0, -2), thresholds)).toBeNull();
  });

  it('the same failing action: a nudge after the third error, stuck after the fourth', () => {
    const errors = (n: number) => [userMessage('go'), ...repeat(n, (i) => { const a = action(`e${i}`, 'write', { path: '/x' }); return [a, agentError(a, 'boom')] as never; })];
    expect(actionErrorNudge(errors(3), thresholds)).toEqual(expect.stringContaining('`write`'));
    expect(detectStuck(errors(3), thresholds)).toBeNull();
    expect(actionErrorNudge(errors(2), thresholds)).toBeNull();
    expect(detectStuck(errors(4), thresholds)).toMatchObject({ pattern: 'repeating_action_error' });
  });

  it('a user message resets the window; agent monologue is caught', () => {
    const monologue = [userMessage('go'), agentMessage('hm'), agentMessage('hm'), agentMessage('hm')];
    expect(detectStuck(monologue, thresholds)).toMatchObject({ pattern: 'monologue' });
    expect(detectStuck([...monologue, userMessage('new task')], thresholds)).toBeNull();
  });
});

describe('agentFinalResponse (pure)', () => {
  it('the last finish message or agent message, whichever came last; "" when none', () => {
    const finish = action('f', 'finish', { message: 'finished it' });
    expect(agentFinalResponse([userMessage('go'), agentMessage('early'), finish])).toBe('finished it');
    expect(agentFinalResponse([finish, userMessage('and?'), agentMessage('later')])).toBe('later');
    expect(agentFinalResponse([userMessage('go')])).toBe('');
  });
});
