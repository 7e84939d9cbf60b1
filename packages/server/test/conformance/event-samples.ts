/**
 * One event of every kind (and every action and observation kind) in OpenHands' shape, with keys in
 * the order Troupe writes them, for the round-trip tests. Written by hand from OpenHands' models.
 */

const at = '2026-12-01T10:00:00.000Z';
const text = (value: string) => ({ type: 'text', text: value });
const stamp = (kind: string, n: number) => ({ kind, id: `${kind.toLowerCase()}-${n}`, timestamp: at });

const action = (n: number, toolName: string, value: Record<string, unknown> | null, args: string) => ({
  ...stamp('ActionEvent', n),
  source: 'agent',
  thought: n === 0 ? [text('Let me look.')] : [],
  ...(n === 0 ? { reasoning_content: 'Shell first.' } : {}),
  action: value,
  tool_name: toolName,
  tool_call_id: `call_${n}`,
  tool_call: { id: `call_${n}`, name: toolName, arguments: args, origin: 'completion' },
  llm_response_id: `chatcmpl-${n}`,
  security_risk: value === null ? 'UNKNOWN' : 'LOW',
});

const observation = (n: number, toolName: string, value: Record<string, unknown>) => ({
  ...stamp('ObservationEvent', n),
  source: 'environment',
  observation: value,
  action_id: `actionevent-${n}`,
  tool_name: toolName,
  tool_call_id: `call_${n}`,
});

const result = (kind: string, content: string, fields: Record<string, unknown> = {}, isError = false) => ({ kind, content: [text(content)], is_error: isError, ...fields });

const editorObservation = (kind: string) =>
  result(kind, 'File created successfully at: /w/a.txt', { command: 'create', path: '/w/a.txt', prev_exist: false, old_content: null, new_content: 'hi\n' });

export const EVENT_SAMPLES: Record<string, unknown> = {
  SystemPromptEvent: {
    ...stamp('SystemPromptEvent', 0),
    source: 'agent',
    system_prompt: text('You are an agent.'),
    tools: [
      {
        kind: 'TerminalTool',
        description: 'Runs commands.',
        action_type: 'TerminalAction',
        observation_type: 'TerminalObservation',
        annotations: { title: 'terminal', readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
        title: 'terminal',
      },
      {
        kind: 'MCPToolDefinition',
        description: 'Echoes.',
        action_type: 'MCPToolAction',
        observation_type: 'MCPToolObservation',
        annotations: { title: 'echo', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
        title: 'echo',
        mcp_tool: { name: 'echo', description: 'Echoes.', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } },
      },
    ],
  },
  'MessageEvent[user]': {
    ...stamp('MessageEvent', 0),
    source: 'user',
    llm_message: { role: 'user', content: [{ type: 'text', text: 'Please list files', cache_prompt: false }] },
    activated_skills: [],
    extended_content: [],
    sender: 'ada',
  },
  'MessageEvent[agent]': {
    ...stamp('MessageEvent', 1),
    source: 'agent',
    llm_message: { role: 'assistant', content: [text('Here you are.')], reasoning_content: 'Easy.' },
    llm_response_id: 'chatcmpl-9',
    activated_skills: [],
    extended_content: [],
  },
  'ActionEvent[TerminalAction]': action(0, 'terminal', { kind: 'TerminalAction', command: 'ls -la', is_input: false, reset: false }, '{"command":"ls -la","security_risk":"LOW"}'),
  'ActionEvent[FileEditorAction]': action(1, 'file_editor', { kind: 'FileEditorAction', command: 'create', path: '/w/a.txt', file_text: 'hi\n' }, '{}'),
  'ActionEvent[PlanningFileEditorAction]': action(2, 'planning_file_editor', { kind: 'PlanningFileEditorAction', command: 'view', path: '/w/PLAN.md', view_range: [1, 5] }, '{}'),
  'ActionEvent[TaskTrackerAction]': action(3, 'task_tracker', { kind: 'TaskTrackerAction', command: 'plan', task_list: [{ title: 't', notes: '', status: 'todo' }] }, '{}'),
  'ActionEvent[FinishAction]': action(4, 'finish', { kind: 'FinishAction', message: 'Done!' }, '{"message":"Done!"}'),
  'ActionEvent[ThinkAction]': action(5, 'think', { kind: 'ThinkAction', thought: 'Hmm.' }, '{"thought":"Hmm."}'),
  'ActionEvent[GlobAction]': action(6, 'glob', { kind: 'GlobAction', pattern: '**/*.ts' }, '{"pattern":"**/*.ts"}'),
  'ActionEvent[GrepAction]': action(7, 'grep', { kind: 'GrepAction', pattern: 'TODO', path: '/w', include: '*.ts' }, '{}'),
  'ActionEvent[ApplyPatchAction]': action(8, 'apply_patch', { kind: 'ApplyPatchAction', patch: '*** Begin Patch\n*** End Patch' }, '{}'),
  'ActionEvent[MCPToolAction]': action(9, 'echo', { kind: 'MCPToolAction', data: { text: 'hi' } }, '{"text":"hi"}'),
  'ActionEvent[null]': action(10, 'nonexistent', null, '{}'),
  'ObservationEvent[TerminalObservation]': observation(
    0,
    'terminal',
    result('TerminalObservation', 'total 0', {
      command: 'ls -la',
      exit_code: 0,
      timeout: false,
      metadata: { exit_code: 0, pid: -1, username: 'me', hostname: 'box', working_dir: '/w', prefix: '', suffix: '' },
    }),
  ),
  'ObservationEvent[FileEditorObservation]': observation(1, 'file_editor', editorObservation('FileEditorObservation')),
  'ObservationEvent[PlanningFileEditorObservation]': observation(2, 'planning_file_editor', editorObservation('PlanningFileEditorObservation')),
  'ObservationEvent[TaskTrackerObservation]': observation(3, 'task_tracker', result('TaskTrackerObservation', 'Updated.', { command: 'plan', task_list: [{ title: 't', notes: '', status: 'todo' }] })),
  'ObservationEvent[FinishObservation]': observation(4, 'finish', result('FinishObservation', 'Done!')),
  'ObservationEvent[ThinkObservation]': observation(5, 'think', result('ThinkObservation', 'Your thought has been logged.')),
  'ObservationEvent[GlobObservation]': observation(6, 'glob', result('GlobObservation', 'Found 1 file', { files: ['/w/a.ts'], pattern: '**/*.ts', search_path: '/w', truncated: false })),
  'ObservationEvent[GrepObservation]': observation(
    7,
    'grep',
    result('GrepObservation', 'No files found', { matches: [], pattern: 'TODO', search_path: '/w', include_pattern: '*.ts', truncated: false }),
  ),
  'ObservationEvent[ApplyPatchObservation]': observation(
    8,
    'apply_patch',
    result('ApplyPatchObservation', 'Done!', { message: 'Done!', fuzz: 0, commit: { changes: { 'a.txt': { type: 'update', old_content: 'a\n', new_content: 'b\n', move_path: null } } } }),
  ),
  'ObservationEvent[MCPToolObservation]': observation(9, 'echo', { ...result('MCPToolObservation', 'hi', {}, true), tool_name: 'echo' }),
  UserRejectObservation: {
    ...stamp('UserRejectObservation', 0),
    source: 'environment',
    action_id: 'actionevent-0',
    tool_name: 'terminal',
    tool_call_id: 'call_0',
    rejection_reason: 'Not now.',
    rejection_source: 'user',
  },
  AgentErrorEvent: {
    ...stamp('AgentErrorEvent', 0),
    source: 'agent',
    error: "Tool 'nonexistent' not found",
    tool_name: 'nonexistent',
    tool_call_id: 'call_10',
    classification: { kind: 'agent_action', retryable: true, user_action: 'retry' },
  },
  PauseEvent: { ...stamp('PauseEvent', 0), source: 'user' },
  InterruptEvent: { ...stamp('InterruptEvent', 0), source: 'user' },
  ConversationStateUpdateEvent: { ...stamp('ConversationStateUpdateEvent', 0), source: 'environment', key: 'execution_status', value: 'running' },
  ConversationErrorEvent: { ...stamp('ConversationErrorEvent', 0), source: 'environment', code: 'Stuck', detail: 'monologue: The agent sent 3 messages in a row without acting.' },
  StreamingDeltaEvent: { ...stamp('StreamingDeltaEvent', 0), source: 'agent', content: 'Hel' },
  TokenEvent: { ...stamp('TokenEvent', 0), source: 'agent', prompt_token_ids: [1, 2], response_token_ids: [3] },
  Condensation: { ...stamp('Condensation', 0), source: 'environment', forgotten_event_ids: ['e1', 'e2'], summary: 'Listed files.', summary_offset: 1, llm_response_id: 'chatcmpl-c' },
  CondensationRequest: { ...stamp('CondensationRequest', 0), source: 'environment' },
  CondensationSummaryEvent: { ...stamp('CondensationSummaryEvent', 0), source: 'environment', summary: 'Listed files.' },
  HookExecutionEvent: {
    ...stamp('HookExecutionEvent', 0),
    source: 'hook',
    hook_event_type: 'PreToolUse',
    hook_command: './check.sh',
    tool_name: 'terminal',
    success: true,
    blocked: false,
    exit_code: 0,
    stdout: '',
    stderr: '',
  },
};
