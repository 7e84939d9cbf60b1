import type { McpConfig } from '@troupe/core';
import { z } from 'zod';
import { REDACTED } from './not-applied.js';

/**
 * `agent.mcp_config` as OpenHands clients write it: the map of servers by name (OpenHands' own
 * dump), or the same under `mcpServers` (the MCP config files' shape, which OpenHands accepts
 * too); each server's fields as OpenHands' MCPServer has them, `null` meaning unset, `type` an
 * alias of `transport` and `shttp` of `http`. Checked field by field by core's schema.
 */
export const McpConfigWireSchema = z.record(z.string(), z.unknown()).nullish();

/** A server's fields with nulls dropped and OpenHands' aliases resolved. */
function serverFromWire(server: unknown): unknown {
  if (server === null || typeof server !== 'object' || Array.isArray(server)) return server;
  const fields = Object.fromEntries(Object.entries(server).filter(([, value]) => value !== null));
  const { type, ...rest } = fields;
  const transport = rest.transport ?? type;
  return { ...rest, ...(transport === undefined ? {} : { transport: transport === 'shttp' ? 'http' : transport }) };
}

/** The request's MCP servers in core's shape (`{ mcpServers }`), or undefined when there are none. */
export function mcpConfigFromWire(wire: z.output<typeof McpConfigWireSchema>): { mcpServers: Record<string, unknown> } | undefined {
  if (wire == null) return undefined;
  const servers = 'mcpServers' in wire ? wire.mcpServers : wire;
  if (servers == null) return undefined;
  if (typeof servers !== 'object' || Array.isArray(servers)) return { mcpServers: servers as Record<string, unknown> };
  const entries = Object.entries(servers);
  return entries.length === 0 ? undefined : { mcpServers: Object.fromEntries(entries.map(([name, server]) => [name, serverFromWire(server)])) };
}

/** The servers as OpenHands shows them (the map by name); env values and headers redacted unless asked for (a client creating the conversation). */
export function mcpConfigToWire(config: McpConfig | undefined, options: { withSecrets?: boolean } = {}): Record<string, unknown> {
  const redact = (record: Record<string, string> | undefined) => record && (options.withSecrets ? record : Object.fromEntries(Object.keys(record).map((key) => [key, REDACTED])));
  return Object.fromEntries(
    Object.entries(config?.mcpServers ?? {}).map(([name, server]) => {
      const env = redact(server.env);
      const headers = redact(server.headers);
      return [name, { ...server, ...(env ? { env } : {}), ...(headers ? { headers } : {}) }];
    }),
  );
}
