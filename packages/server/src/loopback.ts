import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * Loopback checks on parsed addresses, never on string prefixes (`127.evil.example` is a DNS name
 * anyone can point anywhere). Names other than `localhost` are not loopback: only an address is
 * known without asking DNS.
 */
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** 127.0.0.0/8 or ::1, in any spelling of the address (IPv4-mapped IPv6 included). */
export function isLoopbackAddress(address: string): boolean {
  if (isIPv4(address)) return LOOPBACK.check(address, 'ipv4');
  return isIPv6(address) && LOOPBACK.check(address, 'ipv6');
}

/** A host as a listener or a URL names it: `localhost`, a loopback address, or one in brackets (`[::1]`). */
export function isLoopbackHost(host: string): boolean {
  if (host.startsWith('[') && host.endsWith(']')) return isIPv6(host.slice(1, -1)) && isLoopbackAddress(host.slice(1, -1));
  return host.toLowerCase() === 'localhost' || isLoopbackAddress(host);
}

/** A `Host` header naming a loopback host, with an optional port: `127.0.0.1:8000`, `[::1]:8000`, `localhost`. */
export function isLoopbackHostHeader(value: string): boolean {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(value);
  if (!match) return false;
  const port = match[2];
  return isLoopbackHost(match[1]!) && (port === undefined || Number(port) <= 65_535);
}

/** An `Origin` header of a page served from a loopback host (any port, http or https). */
export function isLoopbackOrigin(value: string): boolean {
  const match = /^https?:\/\/(.+)$/i.exec(value);
  return match !== null && isLoopbackHostHeader(match[1]!);
}
