import {
  errorMessage,
  invalidArgumentsText,
  type SecretRegistry,
  type ToolDefinition,
  toObservation,
  toParametersJsonSchema,
} from '@troupe/core';
import type { ClientToolSpec, SupervisorOutbound } from './mailbox.js';

/**
 * The main thread's side of client tools: runs each call the actor mails with the tool's own zod
 * validation, and answers with the observation, or with the failure for the runtime's own error
 * path (invalid arguments; a thrown error). Calls are cancelled by an interrupt.
 */
export class ClientToolHost {
  readonly #tools: Map<string, ToolDefinition>;
  readonly #running = new Map<string, AbortController>();

  constructor(
    tools: readonly ToolDefinition[],
    readonly context: { conversationId: string; workspace(): string; secrets: SecretRegistry },
  ) {
    this.#tools = new Map(tools.map((tool) => [tool.name, tool]));
  }

  /** What the actor is told of each tool. */
  specs(): ClientToolSpec[] {
    return [...this.#tools.values()].map((tool) => ({ name: tool.name, description: tool.description, parameters: toParametersJsonSchema(tool), readOnly: tool.readOnly }));
  }

  /** Runs a call; resolves with the outcome to mail back, or null when it was cancelled. */
  async run(callId: string, name: string, args: Record<string, unknown>, toolCallId: string): Promise<SupervisorOutbound | null> {
    const controller = new AbortController();
    this.#running.set(callId, controller);
    const failed = (message: string, invalidArguments: boolean): SupervisorOutbound => ({ v: 1, type: 'client_tool_failed', callId, invalidArguments, message: this.context.secrets.mask(message) });
    let outcome: SupervisorOutbound;
    try {
      const tool = this.#tools.get(name);
      if (!tool) throw new Error(`Client tool '${name}' is not registered on this conversation.`);
      const parsed = tool.parameters.safeParse(args);
      if (!parsed.success) {
        outcome = failed(invalidArgumentsText(name, parsed.error, Object.keys(args)), true);
      } else {
        const context = { conversationId: this.context.conversationId, workspace: this.context.workspace(), toolCallId, signal: controller.signal, secrets: this.context.secrets };
        const observation = toObservation(tool, await tool.execute(parsed.data, context));
        outcome = { v: 1, type: 'client_tool_result', callId, output: this.context.secrets.maskDeep(observation) };
      }
    } catch (error) {
      outcome = failed(errorMessage(error), false);
    } finally {
      this.#running.delete(callId);
    }
    return controller.signal.aborted ? null : outcome;
  }

  cancel(callId: string): void {
    this.#running.get(callId)?.abort();
  }

  cancelAll(): void {
    for (const controller of this.#running.values()) controller.abort();
  }
}
