import { type AgentConfig, AgentConfigSchema, redactAgent, type ToolRef } from './agent-config.js';
import { ConfigError } from './errors.js';
import { LLM } from './llm.js';
import type { McpConfig } from './mcp-config.js';
import type { LLMOptions } from './llm-config.js';
import { formatZodIssues } from './zod-issues.js';

export interface AgentOptions {
  llm: LLM | LLMOptions;
  tools?: ToolRef[];
  systemPrompt?: string;
  systemPromptSuffix?: string;
  toolConcurrency?: number;
  /** MCP servers whose tools the agent gets: `{ mcpServers: { name: { command, args, env } | { url, headers } } }`. */
  mcpConfig?: McpConfig;
}

/** An agent: an LLM plus tools. A plain, serialisable config that crosses the thread boundary. */
export class Agent {
  readonly config: AgentConfig;

  constructor(options: AgentOptions) {
    const llm = options.llm instanceof LLM ? options.llm.config : new LLM(options.llm).config;
    const parsed = AgentConfigSchema.safeParse({ ...options, llm });
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

  /** The config without the API key: safe to log and persist. */
  toJSON(): AgentConfig {
    return redactAgent(this.config);
  }
}
