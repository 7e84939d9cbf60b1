import { z } from 'zod';
import { ConfigError } from './errors.js';
import { formatZodIssues } from './zod-issues.js';
import { type Content, textContent } from './content.js';
import type { Observation, ToolSpec } from './events.js';
import type { ModelTool } from './language-model.js';
import type { SecretAccess } from './secret-registry.js';
import type { Logger } from './logger.js';

/** What a tool call receives besides its arguments. */
export interface ToolContext {
  readonly conversationId: string;
  /** Absolute path of the conversation's workspace; tools work here. */
  readonly workspace: string;
  readonly toolCallId: string;
  /** Aborted when the conversation is interrupted or closed; long tools should stop. */
  readonly signal: AbortSignal;
  readonly secrets: SecretAccess;
}

/**
 * What a tool returns: plain text, or content parts with an error flag and extra fields
 * (kept on the observation, e.g. `exit_code`; the model sees only the content).
 */
export type ToolOutput =
  | string
  | {
      content: string | Content[];
      isError?: boolean;
      /** Extra observation fields for UIs and tests (snake_case, JSON-serialisable). */
      data?: Record<string, unknown>;
    };

/** A tool the model can call. Built with `defineTool`, or made per conversation by a `ToolProvider`. */
export interface ToolDefinition<P extends z.ZodObject = z.ZodObject> {
  readonly name: string;
  readonly description: string;
  readonly parameters: P;
  /** A read-only tool has no side effects: it never needs confirmation and gets no `security_risk`. */
  readonly readOnly: boolean;
  /** Ends the run once executed (the built-in `finish`). */
  readonly finishesRun?: boolean;
  /**
   * The tool never blocks its thread (async I/O, or trivial work): a custom tool loaded from a
   * module then runs inline, on its conversation's actor thread, without the hop to the tool
   * thread. By default a module tool runs in a tool thread, so that a long synchronous tool cannot
   * stall the other conversations of its thread. Only promise this of tools that return quickly:
   * an inline tool that blocks stalls every conversation on its thread.
   */
  readonly inline?: boolean;
  /**
   * The parameters' JSON Schema when it is given as data rather than derived from `parameters`
   * (a client tool whose zod schema lives on another thread, which also validates the arguments).
   */
  readonly parametersJsonSchema?: Record<string, unknown>;
  execute(args: z.output<P>, context: ToolContext): Promise<ToolOutput> | ToolOutput;
  /** The conversation was interrupted while this tool ran (e.g. SIGINT to a process group). */
  interrupt?(): void | Promise<void>;
  /** The conversation is closing: release processes and files. */
  close?(): void | Promise<void>;
}

export interface DefineToolOptions<P extends z.ZodObject> {
  name: string;
  description: string;
  parameters: P;
  readOnly?: boolean;
  /** Runs on the actor's thread, not in a tool thread: see `ToolDefinition.inline`. */
  inline?: boolean;
  execute(args: z.output<P>, context: ToolContext): Promise<ToolOutput> | ToolOutput;
  interrupt?(): void | Promise<void>;
  close?(): void | Promise<void>;
}

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** Declares a tool with zod parameters; the model gets their JSON Schema. */
export function defineTool<P extends z.ZodObject>(options: DefineToolOptions<P>): ToolDefinition<P> {
  if (!TOOL_NAME.test(options.name)) {
    throw new TypeError(
      `Invalid tool name "${options.name}": use 1-64 letters, digits, "_" or "-" (the model API requires it).`,
    );
  }
  return { ...options, readOnly: options.readOnly ?? false };
}

/** Where a per-conversation tool instance lives. */
export interface ToolEnvironment {
  readonly conversationId: string;
  readonly workspace: string;
  /**
   * The conversation's own directory (`persistenceDir/<id>`, or one in its supervisor's recovery
   * directory), when it is stored; absent for a memory-only conversation.
   */
  readonly conversationDir?: string;
  readonly secrets: SecretAccess;
  readonly logger: Logger;
}

/**
 * Makes a tool for one conversation, for tools that hold state (a shell, an undo history).
 * Stateless `defineTool` tools are shared as they are.
 */
export interface ToolProvider {
  readonly name: string;
  /**
   * The `params` the provider accepts. Tools are resolved only with params that pass it (a server
   * checks a request's params with it too); without one the params go to `create` unchecked.
   */
  readonly paramsSchema?: z.ZodType<Record<string, unknown>>;
  /** Its tools never block their thread: made and run on the actor's thread (see `ToolDefinition.inline`). */
  readonly inline?: boolean;
  create(environment: ToolEnvironment, params: Record<string, unknown>): ToolDefinition | Promise<ToolDefinition>;
}

/** The `paramsSchema` of a provider that takes no params: any given is refused rather than ignored. */
export const NoToolParamsSchema = z.object({}).strict();

/**
 * Makes a provider's tool for one conversation, its params checked first by the provider's own
 * schema: a bad one is a `ConfigError` naming the tool and the field, never a tool made with it.
 */
export async function createTool(provider: ToolProvider, environment: ToolEnvironment, params: Record<string, unknown> = {}): Promise<ToolDefinition> {
  if (!provider.paramsSchema) return provider.create(environment, params);
  const parsed = provider.paramsSchema.safeParse(params);
  if (!parsed.success) throw new ConfigError(`Invalid params for tool "${provider.name}": ${formatZodIssues(parsed.error, '(params)')}.`);
  return provider.create(environment, parsed.data);
}

export const SECURITY_RISK_PARAMETER = 'security_risk';

const SECURITY_RISK_JSON_SCHEMA = {
  type: 'string',
  enum: ['LOW', 'MEDIUM', 'HIGH'],
  description:
    'Your estimate of the risk of this action: LOW (read-only or easily undone), MEDIUM (changes files in the workspace), HIGH (destructive, irreversible, or reaches outside the workspace).',
} as const;

/** Tools shared by many conversations (defineTool results) get their spec computed once. */
const specs = new WeakMap<ToolDefinition, ToolSpec>();

/** The OpenAI function-tool JSON for a tool: zod → JSON Schema, plus an optional `security_risk` first. */
export function toToolSpec(tool: ToolDefinition): ToolSpec {
  let spec = specs.get(tool);
  if (!spec) {
    spec = buildToolSpec(tool);
    specs.set(tool, spec);
  }
  return spec;
}

function buildToolSpec(tool: ToolDefinition): ToolSpec {
  const schema = toParametersJsonSchema(tool);
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const parameters = tool.readOnly
    ? { ...schema, properties }
    : { ...schema, properties: { [SECURITY_RISK_PARAMETER]: SECURITY_RISK_JSON_SCHEMA, ...properties } };
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters } };
}

/** The tool as offered to a model through the model seam. */
export function toModelTool(tool: ToolDefinition): ModelTool {
  const { name, description, parameters } = toToolSpec(tool).function;
  return { name, description, parameters };
}

/** The JSON Schema of a tool's parameters, as sent to the model (without `security_risk`). */
export function toParametersJsonSchema(tool: ToolDefinition): Record<string, unknown> {
  const schema = { ...(tool.parametersJsonSchema ?? (z.toJSONSchema(tool.parameters, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>)) };
  delete schema.$schema;
  return schema;
}

/** An observation as a tool's output again (a tool that ran on another thread). */
export function fromObservation(observation: Observation): ToolOutput {
  const { content, is_error, ...data } = observation;
  return { content, isError: is_error, data };
}

/** Turns what a tool returned into an observation. */
export function toObservation(output: ToolOutput): Observation {
  if (typeof output === 'string') return { content: [textContent(output)], is_error: false };
  const content = typeof output.content === 'string' ? [textContent(output.content)] : output.content;
  return { ...output.data, content, is_error: output.isError ?? false };
}
