import { type Logger, type NormalizedToolOutput, reviveError, type SerializedError, type ToolDefinition } from '@troupe/core';
import { z } from 'zod';
import { ToolThreadError } from './errors.js';
import { isToolDefinition, type ModuleTool, type ModuleToolRef } from './module-tools.js';
import type { ToolThread } from './tool-thread.js';
import { type RemoteToolSpec, remoteToolSpec, type ToolSessionEnvironment, type ToolThreadReply, type ToolThreadRequest } from './tool-thread-protocol.js';

/**
 * One conversation's tools in its actor thread's tool thread. Each becomes a tool in the actor
 * whose calls go there; the arguments are checked there, with the tool's own schema. When the
 * tool thread was restarted, the session is opened again and its tools made anew before the
 * next request.
 */
export class ToolThreadSession {
  readonly #thread: ToolThread;
  readonly #id: number;
  readonly #environment: ToolSessionEnvironment;
  readonly #secrets: Record<string, string>;
  readonly #maskedValues: readonly string[];
  /** The tools made so far: made again in a restarted thread. */
  readonly #made = new Map<string, ModuleToolRef>();
  /** The thread generation the session was opened in (-1: not yet). */
  #openIn = -1;
  #closed = false;

  constructor(
    thread: ToolThread,
    context: { environment: ToolSessionEnvironment; secrets: Record<string, string>; maskedValues: readonly string[]; logger: Logger },
  ) {
    this.#thread = thread;
    this.#environment = context.environment;
    this.#secrets = { ...context.secrets };
    this.#maskedValues = context.maskedValues;
    this.#id = thread.openSession((line) => context.logger[line.level](line.message, line.fields));
  }

  /**
   * The actor's stand-in for a module tool of the conversation, made in the tool thread. A tool
   * (`defineTool`) is described here and made there with the first request, so a busy tool thread
   * never holds up a conversation's start; a provider's tool is made there now (its description
   * may depend on it).
   */
  async makeTool(ref: ModuleToolRef, found: ModuleTool): Promise<ToolDefinition> {
    if (isToolDefinition(found)) {
      this.#made.set(ref.name, ref);
      if (this.#isOpen) this.#postMake(ref);
      return this.#standIn(ref.name, remoteToolSpec(found));
    }
    const made = await this.#ask(ref.name, (id) => this.#makeRequest(ref, id), 'made');
    this.#made.set(ref.name, ref);
    return this.#standIn(ref.name, made.spec);
  }

  updateSecrets(secrets: Record<string, string>): void {
    Object.assign(this.#secrets, secrets);
    if (this.#isOpen) this.#thread.post({ type: 'update_secrets', session: this.#id, secrets });
  }

  /** The conversation closed (its tools were closed): the session goes. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#isOpen) this.#thread.post({ type: 'close_session', session: this.#id });
    this.#thread.closeSession(this.#id);
  }

  get #isOpen(): boolean {
    return this.#thread.running && this.#openIn === this.#thread.generation;
  }

  /** Opens the session in the running thread (starting it), with the tools made so far. */
  #ensureOpen(): void {
    const generation = this.#thread.start();
    if (this.#openIn === generation) return;
    this.#openIn = generation;
    this.#thread.post({ type: 'open_session', session: this.#id, environment: this.#environment, secrets: this.#secrets, maskedValues: [...this.#maskedValues] });
    for (const ref of this.#made.values()) this.#postMake(ref);
  }

  #makeRequest(ref: ModuleToolRef, id: number): ToolThreadRequest {
    return { type: 'make_tool', id, session: this.#id, name: ref.name, module: ref.module, params: ref.params ?? {} };
  }

  /** Makes a tool there without waiting: one that fails to be made fails its calls with that error, there. */
  #postMake(ref: ModuleToolRef): void {
    void this.#thread.request(ref.name, (id) => this.#makeRequest(ref, id)).reply.catch(() => undefined);
  }

  /** Sends a request and returns its reply of the expected type; a failure there is rethrown here as its own class. */
  async #ask<T extends ToolThreadReply['type']>(
    tool: string,
    build: Parameters<ToolThread['request']>[1],
    expected: T,
    onSent?: (id: number) => void,
  ): Promise<Extract<ToolThreadReply, { type: T }>> {
    if (this.#closed) throw new ToolThreadError(`The tools of conversation ${this.#environment.conversationId} are closed.`);
    this.#ensureOpen();
    const { id, reply } = this.#thread.request(tool, build);
    onSent?.(id);
    const answer = await reply;
    if (answer.type === 'failed') throw reviveError(answer.error as unknown as SerializedError);
    if (answer.type !== expected) throw new ToolThreadError(`The tool thread answered ${answer.type} to a request for '${tool}'.`);
    return answer as Extract<ToolThreadReply, { type: T }>;
  }

  async #call(name: string, args: Record<string, unknown>, toolCallId: string, signal: AbortSignal): Promise<NormalizedToolOutput> {
    let onAbort: (() => void) | undefined;
    try {
      const answer = await this.#ask(name, (id) => ({ type: 'call', id, session: this.#id, name, args, toolCallId }), 'result', (id) => {
        onAbort = () => this.#thread.abort(id);
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      });
      return answer.output as NormalizedToolOutput;
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  }

  /** Waits for the tool's `close` there, but no longer than the grace: a thread busy elsewhere must not hold up a close. */
  async #closeTool(name: string): Promise<void> {
    this.#made.delete(name);
    if (!this.#isOpen) return;
    const closed = this.#ask(name, (id) => ({ type: 'close_tool', id, session: this.#id, name }), 'closed').then(
      () => undefined,
      (error: unknown) => {
        // A tool thread that stopped has nothing left to close.
        if (!(error instanceof ToolThreadError)) throw error;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#thread.graceMs)));
    try {
      await Promise.race([closed, grace]);
    } finally {
      clearTimeout(timer);
    }
  }

  #standIn(name: string, spec: RemoteToolSpec): ToolDefinition {
    return {
      name,
      description: spec.description,
      // The tool thread checks the arguments with the tool's own schema.
      parameters: z.looseObject({}),
      parametersJsonSchema: spec.parameters,
      readOnly: spec.readOnly,
      ...(spec.finishesRun ? { finishesRun: true } : {}),
      execute: (args, context) => this.#call(name, args, context.toolCallId, context.signal),
      ...(spec.interrupts ? { interrupt: () => void (this.#isOpen && this.#thread.post({ type: 'interrupt', session: this.#id, name })) } : {}),
      ...(spec.closes ? { close: () => this.#closeTool(name) } : {}),
    };
  }
}
