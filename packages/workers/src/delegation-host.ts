import { agentFinalResponse, type ConversationStatus, emptyStats, errorMessage, type Logger } from '@troupe/core';
import type { ConversationHandle } from './conversation-handle.js';
import { type DelegationReply, type DelegationRequest, type SubAgentResult, type SubAgentSpec } from './delegation-mail.js';

/** The last events read for a sub-agent's final response (it is the last agent message or finish). */
const FINAL_RESPONSE_WINDOW = 1000;

/** What the host needs of a parent conversation's handle. */
export interface DelegationParentHandle {
  /** Starts a sub-conversation: a conversation on the parent's supervisor, with its storage, workspace and secrets. */
  startChild(spec: SubAgentSpec): ConversationHandle & { close(): Promise<void> };
  /** Mails a reply to the parent's actor. */
  reply(message: DelegationReply): void;
  logger: Logger;
}

/**
 * The main thread's end of a parent's delegation (one per parent handle): starts the sub-agents its
 * delegate tool spawns as conversations of the parent's supervisor (actors on its pool, so they run
 * on every thread at once), runs their tasks, forwards pause and interrupt to those running, and
 * closes them with the parent.
 */
export class DelegationHost {
  readonly #parent: DelegationParentHandle;
  /** Open sub-conversations by id, and the id of each name's latest one. */
  readonly #children = new Map<string, ConversationHandle & { close(): Promise<void> }>();
  readonly #byName = new Map<string, string>();
  readonly #running = new Set<ConversationHandle>();

  constructor(parent: DelegationParentHandle) {
    this.#parent = parent;
  }

  /** A request from the parent's actor: answered by mail once done. */
  onMail(request: DelegationRequest): void {
    void this.#answer(request).then(
      (reply) => this.#parent.reply(reply),
      (error: unknown) => this.#parent.reply({ v: 1, type: 'delegate_failed', callId: request.callId, message: errorMessage(error) }),
    );
  }

  async #answer(request: DelegationRequest): Promise<DelegationReply> {
    switch (request.type) {
      case 'delegate_spawn':
        await this.#spawn(request.children);
        return { v: 1, type: 'delegate_done', callId: request.callId, results: [] };
      case 'delegate_run':
        return { v: 1, type: 'delegate_done', callId: request.callId, results: await Promise.all(request.tasks.map((task) => this.#runTask(task, request.sender))) };
      case 'delegate_stop':
        await Promise.all([...this.#running].map((child) => (request.mode === 'pause' ? child.pause() : child.interrupt())));
        return { v: 1, type: 'delegate_done', callId: request.callId, results: [] };
    }
  }

  async #spawn(specs: readonly SubAgentSpec[]): Promise<void> {
    const started = specs.map((spec) => ({ spec, child: this.#parent.startChild(spec) }));
    try {
      await Promise.all(started.map(({ child }) => child.ready()));
    } catch (error) {
      await Promise.allSettled(started.map(({ child }) => child.close()));
      throw error;
    }
    for (const { spec, child } of started) {
      // A name spawned again replaces its earlier sub-agent (which stays stored, as its own conversation).
      const previous = this.#byName.get(spec.name);
      if (previous !== undefined) void this.#close(previous);
      this.#children.set(child.id, child);
      this.#byName.set(spec.name, child.id);
    }
  }

  async #runTask(task: { name: string; conversationId: string; task: string }, sender: string): Promise<SubAgentResult> {
    const child = this.#children.get(task.conversationId);
    const base = { name: task.name, conversationId: task.conversationId };
    if (!child) return { ...base, status: 'error', response: '', error: `sub-conversation ${task.conversationId} is not open here`, stats: emptyStats() };
    this.#running.add(child);
    let status: ConversationStatus;
    let error: string | undefined;
    try {
      await child.sendMessage(task.task, { sender });
      status = await child.run();
      if (status === 'error') error = child.state.lastError?.detail ?? 'the sub-agent stopped with an error';
    } catch (thrown) {
      status = 'error';
      error = errorMessage(thrown);
    } finally {
      this.#running.delete(child);
    }
    try {
      const from = Math.max(0, child.state.eventCount - FINAL_RESPONSE_WINDOW);
      const [snapshot, events] = await Promise.all([child.snapshot(), child.getEvents(from, FINAL_RESPONSE_WINDOW)]);
      return { ...base, status, response: agentFinalResponse(events), ...(error === undefined ? {} : { error }), stats: snapshot.stats };
    } catch (thrown) {
      return { ...base, status, response: '', error: error ?? errorMessage(thrown), stats: child.stats };
    }
  }

  async #close(conversationId: string): Promise<void> {
    const child = this.#children.get(conversationId);
    this.#children.delete(conversationId);
    await child?.close().catch((error: unknown) => this.#parent.logger.warn(`Closing sub-conversation ${conversationId} failed: ${errorMessage(error)}`));
  }

  /** The parent closes: so do its open sub-conversations (each stays stored as its own). */
  async close(): Promise<void> {
    await Promise.all([...this.#children.keys()].map((id) => this.#close(id)));
  }
}
