import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { defineJsonSchemaTool, enabledMcpServers, errorMessage, type McpConfig, mcpResultToOutput, mcpToolName, type ToolAnnotations, type ToolDefinition } from '@troupe/core';
import type { McpConnectionContext, McpServerConnection } from './mcp-server-connection.js';

/** A server, or one of its tools, that the agent does not get, and why (one `ConversationErrorEvent` each). */
export interface McpFailure {
  server: string;
  detail: string;
}

/** The MCP servers of one conversation: their tools, what failed, and how to release them. */
export interface McpTools {
  tools: ToolDefinition[];
  failures: McpFailure[];
  updateSecrets(secrets: Record<string, string>): void;
  close(): Promise<void>;
}

/** A conversation without MCP servers (most): one shared value, nothing per conversation. */
const NO_MCP_TOOLS: McpTools = Object.freeze({
  tools: Object.freeze([]) as unknown as ToolDefinition[],
  failures: Object.freeze([]) as unknown as McpFailure[],
  updateSecrets() {},
  async close() {},
});

/**
 * Starts the agent's MCP servers (all at once) and makes each server's tools agent tools: its
 * JSON Schema as their parameters, `readOnlyHint` as read-only (no `security_risk` asked, never
 * confirmed), the server's annotations in their definition. A server that fails to start is a
 * failure, not an error: the conversation goes on without its tools. `takenNames` are the names
 * the agent's other tools have; an MCP tool of one of them is left out and reported.
 */
export async function startMcpTools(
  config: McpConfig | undefined,
  context: Omit<McpConnectionContext, 'secrets'> & { secrets: Record<string, string>; takenNames: ReadonlySet<string> },
): Promise<McpTools> {
  const servers = enabledMcpServers(config);
  if (servers.length === 0) return NO_MCP_TOOLS;
  // The MCP SDK (4 MB of heap per thread) is loaded by the first conversation that has a server.
  const { McpServerConnection } = await import('./mcp-server-connection.js');
  let secrets = { ...context.secrets };
  const connections = servers.map(([name, server]) => new McpServerConnection(name, server, { workspace: context.workspace, logger: context.logger, secrets: () => secrets }));
  const started = await Promise.allSettled(connections.map((connection) => connection.start()));
  const tools: ToolDefinition[] = [];
  const failures: McpFailure[] = [];
  const names = new Set(context.takenNames);
  started.forEach((outcome, index) => {
    const connection = connections[index]!;
    if (outcome.status === 'rejected') {
      failures.push({ server: connection.name, detail: errorMessage(outcome.reason) });
      return;
    }
    for (const listed of outcome.value) {
      const name = mcpToolName(connection.name, listed.name, servers.length);
      if (names.has(name)) {
        failures.push({ server: connection.name, detail: `MCP server "${connection.name}": its tool "${listed.name}" is left out: the agent already has a tool named "${name}".` });
        continue;
      }
      try {
        tools.push(toAgentTool(name, listed, connection));
        names.add(name);
      } catch (error) {
        failures.push({ server: connection.name, detail: `MCP server "${connection.name}": its tool "${listed.name}" is left out: ${errorMessage(error)}` });
      }
    }
  });
  return {
    tools,
    failures,
    updateSecrets(update) {
      secrets = { ...secrets, ...update };
    },
    async close() {
      await Promise.allSettled(connections.map((connection) => connection.close()));
    },
  };
}

function toAgentTool(name: string, listed: Tool, connection: McpServerConnection): ToolDefinition {
  const annotations = listed.annotations ? annotationsOf(listed.annotations) : undefined;
  return defineJsonSchemaTool({
    name,
    description: listed.description ?? 'No description provided',
    inputSchema: listed.inputSchema,
    readOnly: annotations?.readOnlyHint ?? false,
    ...(annotations ? { annotations } : {}),
    execute: async (args, { signal }) => {
      try {
        // As OpenHands: a null argument is one left out (models send null for optional fields the server's schema may refuse).
        const given = Object.fromEntries(Object.entries(args).filter(([, value]) => value !== null));
        return mcpResultToOutput(name, await connection.call(listed.name, given, signal));
      } catch (error) {
        if (signal.aborted) throw error;
        // As OpenHands: a call that could not be made is the tool's error observation.
        return { content: `Error calling MCP tool ${name}: ${errorMessage(error)}`, isError: true };
      }
    },
  });
}

/** The MCP hints OpenHands keeps of a tool's annotations (the SDK's object may carry more). */
function annotationsOf(given: NonNullable<Tool['annotations']>): ToolAnnotations {
  const { title, readOnlyHint, destructiveHint, idempotentHint, openWorldHint } = given;
  return Object.fromEntries(Object.entries({ title, readOnlyHint, destructiveHint, idempotentHint, openWorldHint }).filter(([, value]) => value !== undefined));
}
