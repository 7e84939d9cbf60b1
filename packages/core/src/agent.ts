import type { AgentContextInput } from './agent-context.js';
import { type AgentConfig, AgentConfigSchema, redactAgent, type ToolRef } from './agent-config.js';
import { CONDENSER_USAGE_ID, type CondenserInput } from './condenser-config.js';
import { ConfigError } from './errors.js';
import { LLM } from './llm.js';
import type { McpConfig } from './mcp-config.js';
import type { LLMOptions } from './llm-config.js';
import { formatZodIssues } from './zod-issues.js';

/** The condenser as an agent takes it: its model may be an `LLM` (a cheaper one), or options for one. */
export type CondenserOptions = Omit<CondenserInput, 'llm'> & { llm?: LLM | Partial<LLMOptions> };

export interface AgentOptions {
  llm: LLM | LLMOptions;
  tools?: ToolRef[];
  systemPrompt?: string;
  systemPromptSuffix?: string;
  toolConcurrency?: number;
  /** On by default (maxSize 120, keepFirst 4, the agent's model); `null` turns it off. */
  condenser?: CondenserOptions | null;
  /** Skills, repository instructions (read from the workspace by default) and prompt suffixes. */
  agentContext?: AgentContextInput;
  /** MCP servers whose tools the agent gets: `{ mcpServers: { name: { command, args, env } | { url, headers } } }`. */
  mcpConfig?: McpConfig;
}

/** The condenser's model as a config: an `LLM`'s, or one made from options (usage id `condenser` unless given). */
function condenserInput(condenser: CondenserOptions | null | undefined, agentUsageId: string): CondenserInput | null | undefined {
  if (!condenser?.llm) return condenser as Omit<CondenserOptions, 'llm'> | null | undefined;
  const llm = condenser.llm instanceof LLM ? condenser.llm.config : new LLM({ usageId: CONDENSER_USAGE_ID, ...condenser.llm }).config;
  if (llm.usageId === agentUsageId) {
    throw new ConfigError(
      `The condenser's LLM has the agent's usage id "${agentUsageId}"; give it its own (e.g. usageId: "${CONDENSER_USAGE_ID}") so its cost is tracked apart.`,
    );
  }
  return { ...condenser, llm };
}

/** An agent: an LLM plus tools. A plain, serialisable config that crosses the thread boundary. */
export class Agent {
  readonly config: AgentConfig;

  constructor(options: AgentOptions) {
    const llm = options.llm instanceof LLM ? options.llm.config : new LLM(options.llm).config;
    const condenser = condenserInput(options.condenser, llm.usageId);
    const parsed = AgentConfigSchema.safeParse({ ...options, llm, ...(condenser === undefined ? {} : { condenser }) });
    if (!parsed.success) throw new ConfigError(`Invalid agent config: ${formatZodIssues(parsed.error)}`);
    const names = new Set<string>();
    for (const tool of parsed.data.tools) {
      if (names.has(tool.name)) throw new ConfigError(`Tool "${tool.name}" is listed twice in the agent's tools; list each tool once.`);
      names.add(tool.name);
    }
    this.config = parsed.data;
  }

  /** Rebuilds an agent from a config (e.g. one that crossed a thread boundary). */
  static fromConfig(config: AgentConfig): Agent {
    return new Agent({ ...config, llm: config.llm });
  }

  /** The config without the API keys: safe to log and persist. */
  toJSON(): AgentConfig {
    return redactAgent(this.config);
  }
}
