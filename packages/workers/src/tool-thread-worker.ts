import { parentPort } from 'node:worker_threads';
import {
  checkToolArguments,
  createConsoleLogger,
  errorMessage,
  type Logger,
  SecretRegistry,
  serializeError,
  ToolArgumentsError,
  type ToolDefinition,
  type ToolEnvironment,
  normalizeToolOutput,
} from '@troupe/core';
import { parseMailboxMessage } from './mailbox.js';
import { instantiateModuleTool, loadModuleTool } from './module-tools.js';
import { remoteToolSpec, type ToolThreadReply, type ToolThreadRequest, ToolThreadRequestSchema } from './tool-thread-protocol.js';

/**
 * The tool thread: runs the module tools of the conversations of one actor thread, so that a tool
 * that blocks (a busy loop, synchronous work) blocks only this thread, never the actors. Each
 * conversation has a session here with its own tool instances and secrets.
 */
interface Session {
  environment: ToolEnvironment;
  secrets: SecretRegistry;
  tools: Map<string, Promise<ToolDefinition>>;
}

const port = parentPort!;
const sessions = new Map<number, Session>();
const running = new Map<number, AbortController>();

function reply(message: ToolThreadReply): void {
  port.postMessage(message);
}

function failed(id: number, error: unknown): void {
  const serialized = serializeError(error);
  try {
    reply({ type: 'failed', id, error: serialized as unknown as Record<string, unknown> });
  } catch {
    // Fields that cannot cross threads (a function, a socket) are left out; the message still goes.
    reply({ type: 'failed', id, error: { ...serialized, fields: {} } as unknown as Record<string, unknown> });
  }
}

/** A tool's log lines go to its conversation's logger, on the actor's thread. */
function forwardingLogger(session: number): Logger {
  const log = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) => {
    try {
      reply({ type: 'log', session, level, message, ...(fields ? { fields } : {}) });
    } catch {
      reply({ type: 'log', session, level, message: `${message} (fields that cannot be sent between threads were left out)` });
    }
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function sessionOf(id: number): Session {
  const session = sessions.get(id);
  if (!session) throw new Error(`No tool session ${id} in the tool thread (it was closed).`);
  return session;
}

function toolOf(session: Session, name: string): Promise<ToolDefinition> {
  const tool = session.tools.get(name);
  if (!tool) throw new Error(`Tool '${name}' was not made in this tool thread.`);
  return tool;
}

async function call(request: Extract<ToolThreadRequest, { type: 'call' }>): Promise<void> {
  const controller = new AbortController();
  running.set(request.id, controller);
  try {
    const session = sessionOf(request.session);
    const tool = await toolOf(session, request.name);
    const checked = checkToolArguments(tool, request.args);
    if (!checked.ok) throw new ToolArgumentsError(checked.error);
    const { conversationId, workspace } = session.environment;
    const context = { conversationId, workspace, toolCallId: request.toolCallId, signal: controller.signal, secrets: session.secrets };
    reply({ type: 'result', id: request.id, output: normalizeToolOutput(await tool.execute(checked.args, context)) });
  } catch (error) {
    failed(request.id, error);
  } finally {
    running.delete(request.id);
  }
}

async function handle(request: ToolThreadRequest): Promise<void> {
  switch (request.type) {
    case 'open_session': {
      const secrets = new SecretRegistry(request.secrets, request.maskedValues);
      const { conversationDir, ...where } = request.environment;
      const environment: ToolEnvironment = { ...where, ...(conversationDir ? { conversationDir } : {}), secrets, logger: forwardingLogger(request.session) };
      sessions.set(request.session, { environment, secrets, tools: new Map() });
      return;
    }
    case 'update_secrets':
      sessions.get(request.session)?.secrets.update(request.secrets);
      return;
    case 'make_tool': {
      try {
        const session = sessionOf(request.session);
        const making = loadModuleTool({ name: request.name, module: request.module }).then((found) => instantiateModuleTool(found, session.environment, request.params));
        session.tools.set(request.name, making);
        reply({ type: 'made', id: request.id, spec: remoteToolSpec(await making) });
      } catch (error) {
        failed(request.id, error);
      }
      return;
    }
    case 'call':
      return call(request);
    case 'abort':
      running.get(request.id)?.abort();
      return;
    case 'interrupt':
      try {
        await (await toolOf(sessionOf(request.session), request.name)).interrupt?.();
      } catch (error) {
        forwardingLogger(request.session).warn(`Interrupting tool ${request.name} failed: ${errorMessage(error)}`);
      }
      return;
    case 'close_tool': {
      try {
        const session = sessionOf(request.session);
        const tool = toolOf(session, request.name);
        session.tools.delete(request.name);
        await (await tool).close?.();
        reply({ type: 'closed', id: request.id });
      } catch (error) {
        failed(request.id, error);
      }
      return;
    }
    case 'close_session':
      sessions.delete(request.session);
      return;
  }
}

port.on('message', (raw: unknown) => {
  let request: ToolThreadRequest;
  try {
    request = parseMailboxMessage(ToolThreadRequestSchema, raw, 'tool thread request');
  } catch (error) {
    // A malformed request cannot be answered by its id; it is reported, and the thread goes on.
    createConsoleLogger({ prefix: 'tool thread' }).warn(errorMessage(error));
    return;
  }
  void handle(request);
});
