import { z } from 'zod';
import { ConfigError } from './errors.js';
import { formatZodIssues } from './zod-issues.js';
import { type Content, textContent } from './content.js';
import type { ModelTool } from './language-model.js';
import type { SecretAccess } from './secret-registry.js';
import type { Logger } from './logger.js';
import type { ToolAnnotations, ToolWire } from './tool-wire.js';

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
 * What a tool returns: plain text, or content parts with an error flag and, for a tool with an
 * OpenHands identity (`wire`), the other fields of its observation (the model sees only the content).
 */
export type ToolOutput =
  | string
  | {
      content: string | Content[];
      isError?: boolean;
      /**
       * The fields of the tool's OpenHands observation besides `content` and `is_error` (e.g. the
       * terminal's `exit_code`), in that observation's order. Only a tool with a `wire` identity may
       * return them: an MCP observation has no room for more, so any other tool returning them fails.
       */
      data?: Record<string, unknown>;
    };

/** A tool the model can call. Built with `defineTool`, or made per conversation by a `ToolProvider`. */
export interface ToolDefinition<P extends z.ZodObject = z.ZodObject> {
  readonly name: string;
  readonly description: string;
  readonly parameters: P;
  /** A read-only tool has no side effects: it never needs confirmation and gets no `security_risk`. */
  readonly readOnly: boolean;
  /** Its OpenHands identity (kinds, annotations); without one it is an MCP tool on the wire. */
  readonly wire?: ToolWire;
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
  /** The MCP hints of a tool without a `wire` identity, as its source gave them (an MCP server's tool): shown in its definition. */
  readonly annotations?: ToolAnnotations;
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
  /** Default: the `wire` annotations' `readOnlyHint`, else false. */
  readOnly?: boolean;
  /** Runs on the actor's thread, not in a tool thread: see `ToolDefinition.inline`. */
  inline?: boolean;
  wire?: ToolWire;
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
  const readOnlyHint = options.wire?.annotations.readOnlyHint;
  if (options.readOnly !== undefined && readOnlyHint !== undefined && options.readOnly !== readOnlyHint) {
    throw new TypeError(`Tool "${options.name}": readOnly ${options.readOnly} contradicts its wire annotations (readOnlyHint ${readOnlyHint}); give one of them.`);
  }
  return { ...options, readOnly: options.readOnly ?? readOnlyHint ?? false };
}

export interface JsonSchemaToolOptions {
  name: string;
  description: string;
  /** The parameters' JSON Schema, as the model gets it. */
  inputSchema: Record<string, unknown>;
  readOnly: boolean;
  annotations?: ToolAnnotations;
  execute(args: Record<string, unknown>, context: ToolContext): Promise<ToolOutput> | ToolOutput;
  close?(): void | Promise<void>;
}

/**
 * A tool whose parameters come as JSON Schema rather than zod (a client tool, an MCP server's
 * tool): any JSON object passes here, and the arguments are checked where the tool lives.
 */
export function defineJsonSchemaTool(options: JsonSchemaToolOptions): ToolDefinition {
  const { inputSchema, annotations, ...rest } = options;
  const tool = defineTool({ ...rest, parameters: z.looseObject({}) });
  return { ...tool, parametersJsonSchema: inputSchema, ...(annotations ? { annotations } : {}) };
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

/** Tools shared by many conversations (defineTool results) get their schemas computed once. */
const modelTools = new WeakMap<ToolDefinition, ModelTool>();

/** The tool as offered to a model through the model seam: zod → JSON Schema, plus an optional `security_risk` first. */
export function toModelTool(tool: ToolDefinition): ModelTool {
  let modelTool = modelTools.get(tool);
  if (!modelTool) {
    const schema = toParametersJsonSchema(tool);
    const properties = (schema.properties ?? {}) as Record<string, unknown>;
    const parameters = tool.readOnly
      ? { ...schema, properties }
      : { ...schema, properties: { [SECURITY_RISK_PARAMETER]: SECURITY_RISK_JSON_SCHEMA, ...properties } };
    modelTool = { name: tool.name, description: tool.description, parameters };
    modelTools.set(tool, modelTool);
  }
  return modelTool;
}

const parameterSchemas = new WeakMap<ToolDefinition, Record<string, unknown>>();

/** The JSON Schema of a tool's parameters, as sent to the model (without `security_risk`); computed once per tool. */
export function toParametersJsonSchema(tool: ToolDefinition): Record<string, unknown> {
  let schema = parameterSchemas.get(tool);
  if (!schema) {
    schema = { ...(tool.parametersJsonSchema ?? (z.toJSONSchema(tool.parameters, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>)) };
    delete schema.$schema;
    parameterSchemas.set(tool, schema);
  }
  return schema;
}

/** A tool's output with its text as content parts: one shape to hand across a thread and to build an observation from. */
export interface NormalizedToolOutput {
  content: Content[];
  isError: boolean;
  data?: Record<string, unknown>;
}

export function normalizeToolOutput(output: ToolOutput): NormalizedToolOutput {
  if (typeof output === 'string') return { content: [textContent(output)], isError: false };
  const content = typeof output.content === 'string' ? [textContent(output.content)] : output.content;
  return { content, isError: output.isError ?? false, ...(output.data === undefined ? {} : { data: output.data }) };
}
