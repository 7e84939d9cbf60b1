import { isAbsolute, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { errorMessage, expandMcpSecrets, type Logger, type McpCallResult, McpServerError, type McpServerConfig, mcpTransportOf } from '@troupe/core';

/** How long starting a server (connect and list its tools) may take, unless its `timeout` says otherwise. */
const START_TIMEOUT_MS = 30_000;
/** How long a tool call may take, unless the server's `timeout` says otherwise (OpenHands' default). */
const CALL_TIMEOUT_MS = 300_000;
/** Lines of a stdio server's stderr kept to explain a failure. */
const STDERR_LINES = 20;

export interface McpConnectionContext {
  workspace: string;
  logger: Logger;
  /** The conversation's secrets now: `${NAME}` in env and headers is expanded at each (re)start. */
  secrets(): Readonly<Record<string, string>>;
}

/**
 * One MCP server of a conversation: started once (its tools listed), kept across runs, closed with
 * the conversation. A server that dies (its process exits, its connection fails) is started again
 * once, at its next tool call; after a second death its calls fail with an error naming it.
 */
export class McpServerConnection {
  readonly name: string;
  readonly #config: McpServerConfig;
  readonly #context: McpConnectionContext;
  #client: Client | null = null;
  #restarted = false;
  #closed = false;
  #stderr: string[] = [];

  constructor(name: string, config: McpServerConfig, context: McpConnectionContext) {
    this.name = name;
    this.#config = config;
    this.#context = context;
  }

  /** Starts the server and lists its tools; a failure is an `McpServerError` with what the server said. */
  async start(): Promise<Tool[]> {
    const client = await this.#connect();
    const tools: Tool[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor === undefined ? {} : { cursor }, { timeout: this.#startTimeout() });
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return tools;
  }

  /** Calls a tool of the server; the signal's abort is sent to the server as a cancellation. */
  async call(toolName: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallResult> {
    const client = this.#client ?? (await this.#restart());
    try {
      return await client.callTool({ name: toolName, arguments: args }, undefined, {
        signal,
        timeout: this.#config.timeout === undefined ? CALL_TIMEOUT_MS : this.#config.timeout * 1000,
        resetTimeoutOnProgress: true,
      });
    } catch (error) {
      if (!signal.aborted && isConnectionFailure(error) && this.#client === client) this.#drop(client);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const client = this.#client;
    this.#client = null;
    if (!client) return;
    if (client.transport instanceof StreamableHTTPClientTransport) await client.transport.terminateSession().catch(() => undefined);
    await client.close().catch((error: unknown) => this.#context.logger.warn(`MCP server "${this.name}" did not close cleanly: ${errorMessage(error)}`));
  }

  async #restart(): Promise<Client> {
    if (this.#closed) throw new McpServerError(`MCP server "${this.name}" is closed with its conversation.`, this.name);
    if (this.#restarted) {
      throw new McpServerError(`MCP server "${this.name}" died again after it was restarted once; it is not restarted again. Fix the server and reopen the conversation.`, this.name);
    }
    this.#restarted = true;
    this.#context.logger.warn(`MCP server "${this.name}" died; starting it again (once).`);
    return this.#connect();
  }

  async #connect(): Promise<Client> {
    const client = new Client({ name: 'troupe', version: '0.1.0' });
    this.#stderr = [];
    try {
      await client.connect(this.#transport(), { timeout: this.#startTimeout() });
    } catch (error) {
      await client.close().catch(() => undefined);
      const said = this.#stderr.length > 0 ? ` Its stderr ended with:\n${this.#stderr.join('\n')}` : '';
      throw new McpServerError(`MCP server "${this.name}" (${this.#describe()}) failed to start: ${errorMessage(error)}.${said}`, this.name, { cause: error });
    }
    // The connection ended by itself (the process exited): the next call starts the server again.
    client.onclose = () => {
      if (this.#client === client) this.#drop(client);
    };
    this.#client = client;
    return client;
  }

  #drop(client: Client): void {
    this.#client = null;
    if (!this.#closed) this.#context.logger.warn(`MCP server "${this.name}" connection ended.`);
    client.close().catch(() => undefined);
  }

  #startTimeout(): number {
    return this.#config.timeout === undefined ? START_TIMEOUT_MS : this.#config.timeout * 1000;
  }

  #describe(): string {
    const { command, args, url } = this.#config;
    return command ? [command, ...(args ?? [])].join(' ') : `${mcpTransportOf(this.#config)} ${url}`;
  }

  #transport(): Transport {
    const config = expandMcpSecrets(this.name, this.#config, this.#context.secrets());
    const transport = mcpTransportOf(config);
    if (transport === 'stdio') {
      const cwd = config.cwd === undefined ? this.#context.workspace : isAbsolute(config.cwd) ? config.cwd : resolve(this.#context.workspace, config.cwd);
      const stdio = new StdioClientTransport({ command: config.command!, args: config.args ?? [], ...(config.env ? { env: config.env } : {}), cwd, stderr: 'pipe' });
      stdio.stderr?.on('data', (chunk: Buffer) => this.#onStderr(chunk.toString()));
      return stdio;
    }
    const url = new URL(config.url!);
    const requestInit = config.headers ? { requestInit: { headers: config.headers } } : {};
    return transport === 'sse' ? new SSEClientTransport(url, requestInit) : new StreamableHTTPClientTransport(url, requestInit);
  }

  #onStderr(text: string): void {
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      this.#context.logger.debug(`MCP server "${this.name}": ${line}`);
      this.#stderr.push(line);
    }
    if (this.#stderr.length > STDERR_LINES) this.#stderr.splice(0, this.#stderr.length - STDERR_LINES);
  }
}

/** An error that means the connection is gone (rather than a tool that failed): the server is started again at its next call. */
function isConnectionFailure(error: unknown): boolean {
  if (error instanceof McpError) return error.code === ErrorCode.ConnectionClosed;
  return true;
}
