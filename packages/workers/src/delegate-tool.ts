import {
  type AgentConfig,
  type AgentDefinition,
  combinedMetrics,
  type ConversationSnapshot,
  DEFAULT_AGENT_TYPE,
  DELEGATE_TOOL_NAME,
  type DelegationRecord,
  defineTool,
  type Logger,
  delegateUsageId,
  subAgentConfig,
  subConversationId,
  type ToolDefinition,
  type ToolOutput,
} from '@troupe/core';
import { z } from 'zod';
import type { DelegationCaller } from './delegation-caller.js';
import type { SubAgentResult, SubAgentSpec } from './delegation-mail.js';

/** At most this many sub-agents per parent at once by default (OpenHands' default too). */
export const DEFAULT_MAX_CHILDREN = 5;

const SUB_AGENT_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** What the tool needs of its conversation (the runtime, bound once it exists). */
export interface DelegationParent {
  readonly id: string;
  readonly agent: AgentConfig;
  snapshot(): ConversationSnapshot;
  recordDelegation(record: DelegationRecord): Promise<void>;
}

export const DelegateParamsSchema = z.object({
  command: z.enum(['spawn', 'delegate']).describe('`spawn` starts named sub-agents; `delegate` gives spawned sub-agents their tasks and waits for all of them.'),
  ids: z.array(z.string()).nullish().describe('For `spawn` (required): the names of the sub-agents to start, e.g. ["tests", "docs"] (letters, digits, "_" or "-").'),
  agent_types: z
    .array(z.string())
    .nullish()
    .describe(`For \`spawn\` (optional): the agent type of each name, in the same order; a missing or empty one is "${DEFAULT_AGENT_TYPE}".`),
  tasks: z.record(z.string(), z.string()).nullish().describe('For `delegate` (required): sub-agent name → its task. They run at the same time.'),
});
type DelegateParams = z.output<typeof DelegateParamsSchema>;

const failure = (text: string): ToolOutput => ({ content: text, isError: true });

/**
 * The delegate tool of one conversation (OpenHands' delegation semantics): `spawn` starts named
 * sub-agents, each a conversation of its own on the supervisor's pool (its id recorded in the
 * parent's `subConversationIds` before it starts), and `delegate` runs tasks on several at once,
 * returning when all have stopped, with each one's final response; their costs are put into the
 * parent's stats under `delegate:<name>`. Runs on the actor's thread: it only waits for mail.
 */
export class DelegateTool {
  readonly tool: ToolDefinition;
  readonly #definitions: ReadonlyMap<string, AgentDefinition>;
  readonly #maxChildren: number;
  readonly #caller: DelegationCaller;
  /** The sub-agents spawned by this actor, by name (a reopened parent spawns them again). */
  readonly #children = new Map<string, { conversationId: string; agentType: string }>();
  #parent: DelegationParent | undefined;
  #running = 0;

  constructor(definitions: readonly AgentDefinition[], caller: DelegationCaller, maxChildren = DEFAULT_MAX_CHILDREN) {
    this.#definitions = new Map(definitions.map((definition) => [definition.name, definition]));
    this.#maxChildren = maxChildren;
    this.#caller = caller;
    this.tool = defineTool({
      name: DELEGATE_TOOL_NAME,
      description: this.#description(),
      parameters: DelegateParamsSchema,
      inline: true,
      execute: (args) => this.#execute(args),
      interrupt: () => this.stopChildren('interrupt'),
    });
  }

  bind(parent: DelegationParent): void {
    this.#parent = parent;
  }

  /** A delegation reply from the handle. */
  onMail(raw: unknown, logger: Logger): void {
    this.#caller.onMail(raw, logger);
  }

  /** The parent pauses or was interrupted: so are the sub-agents running a delegated task. */
  async stopChildren(mode: 'pause' | 'interrupt'): Promise<void> {
    if (this.#running > 0) await this.#caller.request({ type: 'delegate_stop', mode });
  }

  #description(): string {
    const types = [`- ${DEFAULT_AGENT_TYPE}: a general agent with your own tools (but this one)`, ...[...this.#definitions.values()].map((d) => `- ${d.name}: ${d.description || '(no description)'}`)];
    return [
      'Work on several tasks in parallel through sub-agents. First `spawn` sub-agents by name (optionally with an agent type each),',
      'then `delegate` a task to each of them: they run at the same time, each in a conversation of its own, and this call returns',
      `when all have stopped, with each one's final response. At most ${this.#maxChildren} sub-agents. Sub-agents cannot delegate.`,
      'Agent types:',
      ...types,
    ].join('\n');
  }

  async #execute(args: DelegateParams): Promise<ToolOutput> {
    const parent = this.#parent;
    if (!parent) throw new Error('The delegate tool is not bound to its conversation yet.');
    return args.command === 'spawn' ? this.#spawn(parent, args.ids ?? [], args.agent_types ?? []) : this.#delegate(parent, args.tasks ?? {});
  }

  async #spawn(parent: DelegationParent, ids: readonly string[], agentTypes: readonly string[]): Promise<ToolOutput> {
    if (ids.length === 0) return failure('spawn needs `ids`: at least one sub-agent name.');
    const invalid = ids.filter((id) => !SUB_AGENT_NAME.test(id));
    if (invalid.length > 0) return failure(`Invalid sub-agent name(s) ${invalid.join(', ')}: use 1-64 letters, digits, "_" or "-".`);
    if (new Set(ids).size !== ids.length) return failure('Each name in `ids` must be given once.');
    if (agentTypes.length > ids.length) return failure(`\`agent_types\` has ${agentTypes.length} entries but \`ids\` only ${ids.length}.`);
    const types = ids.map((_, index) => agentTypes[index]?.trim() || DEFAULT_AGENT_TYPE);
    const unknown = types.filter((type) => type !== DEFAULT_AGENT_TYPE && !this.#definitions.has(type));
    if (unknown.length > 0) return failure(`Unknown agent type(s) ${[...new Set(unknown)].join(', ')}; known: ${[DEFAULT_AGENT_TYPE, ...this.#definitions.keys()].join(', ')}.`);
    const added = ids.filter((id) => !this.#children.has(id)).length;
    if (this.#children.size + added > this.#maxChildren) {
      return failure(`Cannot spawn ${ids.length} sub-agent(s): ${this.#children.size} exist already and at most ${this.#maxChildren} are allowed.`);
    }
    const snapshot = parent.snapshot();
    const specs: SubAgentSpec[] = ids.map((name, index) => {
      const definition = this.#definitions.get(types[index]!);
      return {
        conversationId: subConversationId(parent.id, snapshot.subConversationIds.length + index, name),
        name,
        agentType: types[index]!,
        agent: subAgentConfig(parent.agent, definition),
        confirmationPolicy: snapshot.confirmationPolicy,
        ...(definition?.maxIterationsPerRun === undefined ? {} : { maxIterationsPerRun: definition.maxIterationsPerRun }),
      };
    });
    // Recorded (and stored) before they exist: after a crash the parent knows every child it may have.
    await parent.recordDelegation({ subConversationIds: specs.map((spec) => spec.conversationId) });
    const reply = await this.#caller.request({ type: 'delegate_spawn', children: specs });
    if (reply.type === 'delegate_failed') return failure(`Spawning failed: ${reply.message}`);
    for (const spec of specs) this.#children.set(spec.name, { conversationId: spec.conversationId, agentType: spec.agentType });
    return `Spawned ${specs.length} sub-agent(s): ${specs.map((spec) => `${spec.name} (${spec.agentType}, conversation ${spec.conversationId})`).join(', ')}.`;
  }

  async #delegate(parent: DelegationParent, tasks: Record<string, string>): Promise<ToolOutput> {
    const names = Object.keys(tasks);
    if (names.length === 0) return failure('delegate needs `tasks`: at least one sub-agent name with its task.');
    const missing = names.filter((name) => !this.#children.has(name));
    if (missing.length > 0) {
      const available = [...this.#children.keys()];
      return failure(`No sub-agent named ${missing.join(', ')}; spawn it first. Spawned: ${available.length > 0 ? available.join(', ') : 'none'}.`);
    }
    this.#running++;
    let reply;
    try {
      const list = names.map((name) => ({ name, conversationId: this.#children.get(name)!.conversationId, task: tasks[name]! }));
      reply = await this.#caller.request({ type: 'delegate_run', sender: parent.id, tasks: list });
    } finally {
      this.#running--;
    }
    if (reply.type === 'delegate_failed') return failure(`Delegation failed: ${reply.message}`);
    const usage = Object.fromEntries(reply.results.map((result) => [delegateUsageId(result.name), combinedMetrics(result.stats)]));
    await parent.recordDelegation({ usage });
    return delegationReport(reply.results);
  }
}

/** What the model is told of a delegation: one line per sub-agent, in the order of the tasks (pure). */
export function delegationReport(results: readonly SubAgentResult[]): ToolOutput {
  const unfinished = results.filter((result) => result.status !== 'finished');
  const lines = results.map((result, index) => {
    const outcome = result.error ? `failed: ${result.error}` : result.response || '(no final response)';
    return `${index + 1}. ${result.name} (${result.status}, conversation ${result.conversationId}): ${outcome}`;
  });
  const head = `Delegated ${results.length} task(s); ${results.length - unfinished.length} finished${unfinished.length > 0 ? `, ${unfinished.length} did not` : ''}.`;
  return { content: [head, '', ...lines].join('\n'), isError: unfinished.length > 0 };
}
