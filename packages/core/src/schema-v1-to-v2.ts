/**
 * Schema version 1 → 2: events and state in OpenHands' exact shape. Pure functions over the JSON
 * of a stored record (what they do not recognise they leave as it is, for the schema to judge).
 * Version 1 is frozen, so this step is too: it knows the built-in tools as version 1 named them.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Version 1's built-in tools, by name: the stem of their OpenHands kinds (`FileEditor` → `FileEditorTool`, `…Action`, `…Observation`). */
const V1_BUILTIN_KIND_STEMS: Readonly<Record<string, string>> = {
  terminal: 'Terminal',
  file_editor: 'FileEditor',
  planning_file_editor: 'PlanningFileEditor',
  task_tracker: 'TaskTracker',
  glob: 'Glob',
  grep: 'Grep',
  apply_patch: 'ApplyPatch',
  finish: 'Finish',
  think: 'Think',
};

const stemOf = (toolName: unknown): string | undefined => (typeof toolName === 'string' ? V1_BUILTIN_KIND_STEMS[toolName] : undefined);

/** `{id, type: 'function', function: {name, arguments}}` → `{id, name, arguments, origin}`. */
function toolCallV2(call: unknown): unknown {
  if (!isObject(call) || !isObject(call.function)) return call;
  return { id: call.id, name: call.function.name, arguments: call.function.arguments, origin: 'completion' };
}

function actionV2(toolName: unknown, action: unknown): unknown {
  if (!isObject(action)) return action;
  const { security_risk: _risk, ...args } = action;
  const stem = stemOf(toolName);
  return stem ? { kind: `${stem}Action`, ...args } : { kind: 'MCPToolAction', data: args };
}

/** Version 1 kept the terminal's prompt metadata flat beside the exit code. */
function terminalObservationV2(observation: Json): Json {
  const { content, is_error, command = null, exit_code, timeout, working_dir, py_interpreter_path, pid, ...rest } = observation;
  const hasMetadata = working_dir !== undefined || py_interpreter_path !== undefined || pid !== undefined;
  const metadata = {
    exit_code: typeof exit_code === 'number' ? exit_code : -1,
    pid: typeof pid === 'number' ? pid : -1,
    ...(working_dir === undefined ? {} : { working_dir }),
    ...(py_interpreter_path === undefined ? {} : { py_interpreter_path }),
  };
  return {
    kind: 'TerminalObservation',
    content,
    is_error,
    command,
    ...(exit_code === undefined ? {} : { exit_code }),
    ...(timeout === undefined ? {} : { timeout }),
    ...(hasMetadata ? { metadata } : {}),
    ...rest,
  };
}

function observationV2(toolName: unknown, observation: unknown): unknown {
  if (!isObject(observation)) return observation;
  const stem = stemOf(toolName);
  if (stem === 'Terminal') return terminalObservationV2(observation);
  if (stem) return { kind: `${stem}Observation`, ...observation };
  // An MCP observation holds no more than the content: version 1's extra fields of a custom tool
  // (never shown to the model) stay in the stored line only.
  return { kind: 'MCPToolObservation', content: observation.content, is_error: observation.is_error, tool_name: toolName };
}

/** An OpenAI function spec → OpenHands' ToolDefinition dump. */
function toolRecordV2(spec: unknown): unknown {
  if (!isObject(spec) || !isObject(spec.function)) return spec;
  const { name, description, parameters } = spec.function;
  const stem = stemOf(name);
  if (stem) return { kind: `${stem}Tool`, description, action_type: `${stem}Action`, observation_type: `${stem}Observation`, title: name };
  const inputSchema = isObject(parameters) ? withoutSecurityRisk(parameters) : {};
  return {
    kind: 'MCPToolDefinition',
    description,
    action_type: 'MCPToolAction',
    observation_type: 'MCPToolObservation',
    title: name,
    mcp_tool: { name, description, inputSchema },
  };
}

/** Version 1 put the model's `security_risk` parameter into the schema; an MCP tool's input schema is the tool's own. */
function withoutSecurityRisk(schema: Json): Json {
  if (!isObject(schema.properties)) return schema;
  const { security_risk: _risk, ...properties } = schema.properties;
  return { ...schema, properties };
}

function messageV2(message: unknown): unknown {
  if (!isObject(message) || !Array.isArray(message.tool_calls)) return message;
  return { ...message, tool_calls: message.tool_calls.map(toolCallV2) };
}

/** One stored event of version 1 as version 2 stores it. */
export function eventV1ToV2(event: unknown): unknown {
  if (!isObject(event)) return event;
  switch (event.kind) {
    case 'SystemPromptEvent':
      return Array.isArray(event.tools) ? { ...event, tools: event.tools.map(toolRecordV2) } : event;
    case 'MessageEvent':
      return { ...event, llm_message: messageV2(event.llm_message) };
    case 'ActionEvent':
      return { ...event, action: actionV2(event.tool_name, event.action), tool_call: toolCallV2(event.tool_call) };
    case 'ObservationEvent':
      return { ...event, observation: observationV2(event.tool_name, event.observation) };
    case 'PauseEvent':
    case 'InterruptEvent': {
      // OpenHands' pause and interrupt have no reason; version 1's recovery note is not carried over.
      const { reason: _reason, ...rest } = event;
      return rest;
    }
    case 'ConversationErrorEvent': {
      const { stuck_pattern, ...rest } = event;
      return typeof stuck_pattern === 'string' ? { ...rest, detail: `${stuck_pattern}: ${String(rest.detail)}` } : rest;
    }
    default:
      return event;
  }
}

function tokenUsageV2(usage: unknown, model: unknown, responseId?: string): unknown {
  if (!isObject(usage)) return usage;
  const prompt = typeof usage.prompt_tokens === 'number' ? usage.prompt_tokens : 0;
  const completion = typeof usage.completion_tokens === 'number' ? usage.completion_tokens : 0;
  const { response_id, ...counts } = usage;
  return { model, ...counts, context_window: 0, per_turn_token: prompt + completion, response_id: responseId ?? response_id ?? '' };
}

function metricsV2(metrics: unknown): unknown {
  if (!isObject(metrics)) return metrics;
  const model = metrics.model_name;
  const usages = Array.isArray(metrics.token_usages) ? metrics.token_usages.map((usage) => tokenUsageV2(usage, model)) : metrics.token_usages;
  const accumulated = tokenUsageV2(metrics.accumulated_token_usage, model, '');
  const last = Array.isArray(usages) ? usages.at(-1) : undefined;
  return {
    ...metrics,
    accumulated_token_usage: isObject(accumulated) ? { ...accumulated, per_turn_token: isObject(last) ? last.per_turn_token : 0 } : accumulated,
    costs: Array.isArray(metrics.costs)
      ? metrics.costs.map((cost) => (isObject(cost) && typeof cost.timestamp === 'string' ? { ...cost, timestamp: Date.parse(cost.timestamp) / 1000 } : cost))
      : metrics.costs,
    token_usages: usages,
  };
}

/** A `state.json` of version 1 as version 2 writes it: stats in OpenHands' shape (cost times as epoch seconds). */
export function stateV1ToV2(state: unknown): unknown {
  if (!isObject(state)) return state;
  const stats = state.stats;
  const usageToMetrics = isObject(stats) && isObject(stats.usage_to_metrics) ? stats.usage_to_metrics : undefined;
  const queued = Array.isArray(state.queued_messages)
    ? state.queued_messages.map((entry) => (isObject(entry) ? { ...entry, message: messageV2(entry.message) } : entry))
    : state.queued_messages;
  return {
    ...state,
    schema_version: 2,
    ...(usageToMetrics ? { stats: { ...stats as Json, usage_to_metrics: Object.fromEntries(Object.entries(usageToMetrics).map(([id, metrics]) => [id, metricsV2(metrics)])) } } : {}),
    queued_messages: queued,
  };
}
