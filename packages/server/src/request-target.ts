/**
 * Request targets the router could read differently from a person (or a proxy) reading the raw
 * line are refused before routing decides anything: only origin-form (`/path?query`), without
 * empty or dot segments. Percent-encoding is left to the router, which decodes the path before
 * matching (so `/%61pi/...` is the `/api/...` route, with its key check) and keeps an encoded `/`
 * inside the parameter it belongs to.
 */
export function requestTargetProblem(target: string): string | undefined {
  if (!target.startsWith('/')) return 'Only origin-form request targets are accepted: send the path (/api/...) and name the host in the Host header';
  const path = target.split('?', 1)[0]!;
  if (path.includes('\\')) return 'The request path contains a backslash';
  const segments = path.split('/').slice(1);
  // A trailing slash leaves one empty last segment; any other empty segment is a doubled slash.
  if (segments.slice(0, -1).some((segment) => segment === '')) return 'The request path contains an empty segment (a doubled slash)';
  const dotSegment = segments.find((segment) => /^(\.|%2e){1,2}$/i.test(segment));
  if (dotSegment !== undefined) return `The request path contains a "${dotSegment}" segment; send the resolved path`;
  return undefined;
}
