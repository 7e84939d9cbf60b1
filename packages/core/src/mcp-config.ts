import { z } from 'zod';
import { ConfigError } from './errors.js';
import { credentialValues, SECRET_MASK } from './secret-registry.js';

/**
 * The MCP servers of an agent, in OpenHands' shape (`{ mcpServers: { name: server } }`): a local
 * server started as a process (`command`, `args`, `env`, `cwd`) and spoken to over stdio, or a
 * remote one at a `url` (with `headers`) over streamable HTTP or SSE. Each server's tools become
 * the agent's tools (see `mcpToolName` for their names).
 */

export const MCP_TRANSPORTS = ['stdio', 'http', 'streamable-http', 'sse'] as const;
export type McpTransport = (typeof MCP_TRANSPORTS)[number];

/** One server, strict (OpenHands' MCPServer forbids unknown fields too): a field Troupe does not act on is refused, not ignored. */
export const McpServerConfigSchema = z
  .strictObject({
    command: z.string().min(1).optional(),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).optional(),
    cwd: z.string().min(1).optional(),
    url: z.url().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    /** Inferred when left out: `stdio` for a command, `sse` for a URL ending in `/sse`, else streamable HTTP. */
    transport: z.enum(MCP_TRANSPORTS).optional(),
    /** Seconds one request (a tool call, the tool listing) may take; default 300, as OpenHands' tool calls. */
    timeout: z.number().positive().optional(),
    /** A disabled server stays configured but is not started. */
    enabled: z.boolean().optional(),
    description: z.string().optional(),
    icon: z.string().optional(),
  })
  .superRefine((server, context) => {
    if (!server.command && !server.url && !server.transport) {
      context.addIssue({ code: 'custom', path: [], message: 'an MCP server needs a command (a local server, over stdio) or a url (a remote one)' });
      return;
    }
    const transport = mcpTransportOf(server);
    if (transport === 'stdio' && !server.command) context.addIssue({ code: 'custom', path: ['command'], message: 'a stdio MCP server needs a command' });
    if (transport !== 'stdio' && !server.url) context.addIssue({ code: 'custom', path: ['url'], message: `a ${transport} MCP server needs a url` });
    if (server.command && server.url) context.addIssue({ code: 'custom', path: ['url'], message: 'give a command (a local server) or a url (a remote one), not both' });
  });
export type McpServerConfig = z.output<typeof McpServerConfigSchema>;

const SERVER_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export const McpConfigSchema = z.strictObject({
  mcpServers: z.record(z.string().regex(SERVER_NAME, 'a server name is 1-64 letters, digits, "_" or "-" (it prefixes tool names)'), McpServerConfigSchema),
});
export type McpConfig = z.output<typeof McpConfigSchema>;

/** The transport a server is spoken to over. */
export function mcpTransportOf(server: Pick<McpServerConfig, 'transport' | 'command' | 'url'>): McpTransport {
  if (server.transport) return server.transport;
  if (server.command) return 'stdio';
  return server.url && /\/sse\/?$/.test(new URL(server.url).pathname) ? 'sse' : 'http';
}

/** The servers to start: every one not disabled. */
export function enabledMcpServers(config: McpConfig | undefined): Array<[string, McpServerConfig]> {
  return Object.entries(config?.mcpServers ?? {}).filter(([, server]) => server.enabled !== false);
}

/**
 * The agent's name for a server's tool: the tool's own name with one server, `<server>_<tool>`
 * with several (as OpenHands names them), so two servers' tools of one name stay apart.
 */
export function mcpToolName(serverName: string, toolName: string, serverCount: number): string {
  return serverCount > 1 ? `${serverName}_${toolName}` : toolName;
}

/** Header names whose values are credentials. */
const CREDENTIAL_HEADER = /auth|key|token|secret|cookie/i;

/** The credential values of a config, to mask in events and logs: env values named as credentials, credential headers. */
export function mcpCredentialValues(config: McpConfig | undefined): string[] {
  return Object.values(config?.mcpServers ?? {}).flatMap((server) => [
    ...credentialValues(server.env ?? {}),
    ...Object.entries(server.headers ?? {}).filter(([name, value]) => CREDENTIAL_HEADER.test(name) && value.length >= 8).map(([, value]) => value),
  ]);
}

/**
 * The config without its credential values (those of `mcpCredentialValues`), for what is stored
 * and mirrored, as an API key is left out: a resumed conversation gets them back from the agent it
 * is given. `${NAME}` references are kept: they hold no value.
 */
export function redactMcpCredentials(config: McpConfig): McpConfig {
  const credentials = new Set(mcpCredentialValues(config));
  if (credentials.size === 0) return config;
  const redact = (record: Record<string, string> | undefined) => record && Object.fromEntries(Object.entries(record).map(([key, value]) => [key, credentials.has(value) ? SECRET_MASK : value]));
  const mcpServers = Object.fromEntries(
    Object.entries(config.mcpServers).map(([name, server]) => {
      const env = redact(server.env);
      const headers = redact(server.headers);
      return [name, { ...server, ...(env ? { env } : {}), ...(headers ? { headers } : {}) }];
    }),
  );
  return { mcpServers };
}

const SECRET_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * A server's env values and headers with `${NAME}` (or `${NAME:-default}`) replaced by the
 * conversation's secret of that name (as OpenHands expands them), so a credential can stay out of
 * the stored config. A reference to no secret and no default is a `ConfigError` naming it.
 */
export function expandMcpSecrets(serverName: string, server: McpServerConfig, secrets: Readonly<Record<string, string>>): McpServerConfig {
  const expand = (field: string) => (value: string) =>
    value.replace(SECRET_REFERENCE, (_whole, name: string, fallback: string | undefined) => {
      const secret = Object.hasOwn(secrets, name) ? secrets[name] : fallback;
      if (secret === undefined) throw new ConfigError(`MCP server "${serverName}": ${field} refers to \${${name}}, which is no secret of the conversation; add the secret ${name}, or give a default (\${${name}:-value}).`);
      return secret;
    });
  const expandAll = (field: string, record: Record<string, string> | undefined) =>
    record && Object.fromEntries(Object.entries(record).map(([key, value]) => [key, expand(`${field}.${key}`)(value)]));
  const env = expandAll('env', server.env);
  const headers = expandAll('headers', server.headers);
  return { ...server, ...(env ? { env } : {}), ...(headers ? { headers } : {}) };
}
