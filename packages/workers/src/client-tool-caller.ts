import type { MessagePort } from 'node:worker_threads';
import { defineJsonSchemaTool, type Logger, type Observation, ToolArgumentsError, type ToolDefinition } from '@troupe/core';
import { type ClientToolSpec, MAILBOX_VERSION, parseMailboxMessage, SupervisorOutboundSchema } from './mailbox.js';
import { postMail } from './port-endpoint.js';

interface PendingCall {
  resolve(observation: Observation): void;
  reject(error: Error): void;
}

/**
 * The actor's side of client tools (tools that run on the main thread): each becomes a tool whose
 * calls are mailed to the handle; the outcome comes back by mail. A failure there takes the
 * runtime's own error path (a thrown error, or invalid arguments), exactly as for a local tool.
 */
export class ClientToolCaller {
  readonly tools: ToolDefinition[];
  readonly #port: MessagePort;
  readonly #calls = new Map<string, PendingCall>();
  #nextCallId = 0;

  constructor(port: MessagePort, specs: readonly ClientToolSpec[]) {
    this.#port = port;
    this.tools = specs.map((spec) => this.#proxy(spec));
  }

  #proxy(spec: ClientToolSpec): ToolDefinition {
    // The main thread validates the arguments with the tool's own zod schema.
    return defineJsonSchemaTool({
      name: spec.name,
      description: spec.description,
      inputSchema: spec.parameters,
      readOnly: spec.readOnly,
      execute: async (args, context) => {
        const { content, is_error } = await this.#call(spec.name, args, context.toolCallId, context.signal);
        return { content, isError: is_error };
      },
    });
  }

  #call(name: string, args: Record<string, unknown>, toolCallId: string, signal: AbortSignal): Promise<Observation> {
    const callId = String(this.#nextCallId++);
    return new Promise((resolve, reject) => {
      this.#calls.set(callId, { resolve, reject });
      signal.addEventListener('abort', () => postMail(this.#port, { v: MAILBOX_VERSION, type: 'client_tool_cancel', callId }), { once: true });
      postMail(this.#port, { v: MAILBOX_VERSION, type: 'client_tool_call', callId, name, args, toolCallId });
    });
  }

  /** Mail from the handle: the outcome of a call. A malformed message is logged and dropped. */
  onMail(raw: unknown, logger: Logger): void {
    let message;
    try {
      message = parseMailboxMessage(SupervisorOutboundSchema, raw, 'supervisor message');
    } catch (error) {
      logger.warn((error as Error).message);
      return;
    }
    const call = this.#calls.get(message.callId);
    this.#calls.delete(message.callId);
    if (!call) return;
    if (message.type === 'client_tool_result') call.resolve(message.output as Observation);
    else call.reject(message.invalidArguments ? new ToolArgumentsError(message.message) : new Error(message.message));
  }
}
