import { z } from 'zod';
import { ConfigError, MissingToolError } from './errors.js';
import { camelCase, snakeCase } from './key-case.js';
import { LLM } from './llm.js';
import { type LLMConfig, LLMConfigSchema, type LLMOptions } from './llm-config.js';

/**
 * A tool the agent uses, by reference: a built-in name (`terminal`, `file_editor`, …) with optional
 * params, or a custom tool module the worker imports (`{ name, module: new URL(...).href }`).
 */
export const ToolRefSchema = z.object({
  name: z.string().min(1),
  params: z.record(z.string(), z.unknown()).optional(),
  module: z.string().min(1).optional(),
});
export type ToolRef = z.infer<typeof ToolRefSchema>;

export const AgentConfigSchema = z.object({
  llm: LLMConfigSchema,
  tools: z.array(ToolRefSchema).default([]),
  /** Replaces the default system prompt. */
  systemPrompt: z.string().optional(),
  /** Appended to the system prompt. */
  systemPromptSuffix: z.string().optional(),
  /** How many tool calls of one model response may run at once (1 = one after another). */
  toolConcurrency: z.number().int().min(1).default(1),
});
export type AgentConfig = z.output<typeof AgentConfigSchema>;

export interface AgentOptions {
  llm: LLM | LLMOptions;
  tools?: ToolRef[];
  systemPrompt?: string;
  systemPromptSuffix?: string;
  toolConcurrency?: number;
}

/** An agent: an LLM plus tools. A plain, serialisable config that crosses the thread boundary. */
export class Agent {
  readonly config: AgentConfig;

  constructor(options: AgentOptions) {
    const llm = options.llm instanceof LLM ? options.llm.config : new LLM(options.llm).config;
    const parsed = AgentConfigSchema.safeParse({ ...options, llm });
    if (!parsed.success) {
      throw new ConfigError(`Invalid agent config: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
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

  get llmConfig(): LLMConfig {
    return this.config.llm;
  }

  /** The config without the API key: safe to log and persist. */
  toJSON(): AgentConfig {
    const { apiKey: _apiKey, ...llm } = this.config.llm;
    return { ...this.config, llm };
  }
}

const mapKeys = (object: Record<string, unknown>, map: (key: string) => string) =>
  Object.fromEntries(Object.entries(object).map(([key, value]) => [map(key), value]));

/** The stored form of an agent config (`state.json`, the server's JSON): snake_case, no API key. */
export const AgentRecordSchema = z.record(z.string(), z.unknown());
export type AgentRecord = z.infer<typeof AgentRecordSchema>;

export function agentToRecord(config: AgentConfig): AgentRecord {
  const { apiKey: _apiKey, ...llm } = config.llm;
  return { ...mapKeys({ ...config }, snakeCase), llm: mapKeys(llm, snakeCase) };
}

export function agentFromRecord(record: AgentRecord): AgentConfig {
  const camel = mapKeys(record, camelCase);
  const llm = record.llm !== null && typeof record.llm === 'object' ? mapKeys(record.llm as Record<string, unknown>, camelCase) : record.llm;
  return AgentConfigSchema.parse({ ...camel, llm });
}

/**
 * Checks that a resumed conversation's agent still has every tool the stored one had: tools may be
 * added on resume, never removed (the history holds calls to them).
 */
export function verifyResumedTools(stored: AgentConfig, current: AgentConfig): void {
  const currentNames = new Set(current.tools.map((tool) => tool.name));
  const missing = stored.tools.map((tool) => tool.name).filter((name) => !currentNames.has(name));
  if (missing.length > 0) {
    throw new MissingToolError(
      `Cannot resume: the agent lacks tool${missing.length > 1 ? 's' : ''} ${missing.map((n) => `"${n}"`).join(', ')} that the stored conversation used. Add ${missing.length > 1 ? 'them' : 'it'} to the agent's tools (tools may be added on resume, never removed).`,
    );
  }
}
