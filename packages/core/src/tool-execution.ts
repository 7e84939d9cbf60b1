import { errorMessage, ToolArgumentsError } from './errors.js';
import type { ActionEvent, EventInit } from './events.js';
import type { ToolContext, ToolDefinition } from './tool.js';
import { actionArguments, toObservation } from './tool-wire-form.js';
import { traceToolCall } from './tracing.js';

export const INTERRUPTED_TOOL_ERROR = 'Tool call interrupted before completion: the conversation was interrupted. It may have partially run.';

export interface ToolExecution {
  /** The conversation the tools run for (named on their trace spans). */
  conversationId: string;
  tools: ReadonlyMap<string, ToolDefinition>;
  /** How many actions of a batch may run at once. */
  concurrency: number;
  contextFor(action: ActionEvent, signal: AbortSignal): ToolContext;
  /** The tools running now: an interrupt reaches each. */
  running: Set<ToolDefinition>;
}

/**
 * Runs a batch of actions (up to `concurrency` at once) and returns their results in the batch's
 * order. When `signal` aborts, actions not finished get an error result saying so.
 */
export async function executeActions(actions: readonly ActionEvent[], execution: ToolExecution, signal: AbortSignal): Promise<EventInit[]> {
  const results: Array<EventInit | undefined> = new Array(actions.length);
  let next = 0;
  const worker = async () => {
    while (next < actions.length && !signal.aborted) {
      const index = next++;
      const action = actions[index]!;
      results[index] = await traceToolCall(execution.conversationId, action, () => executeAction(action, execution, signal));
    }
  };
  await Promise.all(Array.from({ length: Math.min(execution.concurrency, actions.length) }, worker));
  return actions.map(
    (action, index) =>
      results[index] ?? { kind: 'AgentErrorEvent', source: 'agent', error: INTERRUPTED_TOOL_ERROR, tool_name: action.tool_name, tool_call_id: action.tool_call_id },
  );
}

/** Executes one action; a throwing tool becomes an error result, never a crashed run. Undefined when interrupted. */
async function executeAction(action: ActionEvent, execution: ToolExecution, signal: AbortSignal): Promise<EventInit | undefined> {
  const failed = (error: string): EventInit => ({ kind: 'AgentErrorEvent', source: 'agent', error, tool_name: action.tool_name, tool_call_id: action.tool_call_id });
  const tool = execution.tools.get(action.tool_name);
  if (!tool) return failed(`Tool '${action.tool_name}' not found.`);
  execution.running.add(tool);
  try {
    const output = await raceAbort(Promise.resolve().then(() => tool.execute(action.action ? actionArguments(action.action) : {}, execution.contextFor(action, signal))), signal);
    if (output === ABORTED) return undefined;
    return {
      kind: 'ObservationEvent',
      source: 'environment',
      observation: toObservation(tool, output),
      action_id: action.id,
      tool_name: action.tool_name,
      tool_call_id: action.tool_call_id,
    };
  } catch (error) {
    if (signal.aborted) return undefined;
    // Arguments checked where the tool lives (a client tool) fail as any invalid call does.
    if (error instanceof ToolArgumentsError) return failed(error.message);
    return failed(`Error executing tool '${action.tool_name}': ${errorMessage(error)}`);
  } finally {
    execution.running.delete(tool);
  }
}

const ABORTED = Symbol('aborted');

/** Settles with the promise, or with ABORTED as soon as the signal aborts (the promise is left to finish alone). */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
