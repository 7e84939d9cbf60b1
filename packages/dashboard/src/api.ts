/**
 * Calls to the server, from a page it served: the browser session cookie authenticates them (the
 * server checks their Origin), so no key is ever held by the page. A 401 means the session ended:
 * the browser goes to the login form.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const LOGIN_PATH = '/login';

function detailOf(body: unknown, status: number): string {
  const detail = (body as { detail?: unknown } | null)?.detail;
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) return detail.map((issue: { loc?: unknown[]; msg?: string }) => `${(issue.loc ?? []).join('.')}: ${issue.msg ?? ''}`).join('; ');
  return `HTTP ${status}`;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  if (response.status === 401) window.location.assign(LOGIN_PATH);
  if (!response.ok) throw new ApiError(response.status, detailOf(parsed, response.status));
  return parsed as T;
}

export const conversationPath = (id: string, rest = ''): string => `/api/conversations/${encodeURIComponent(id)}${rest}`;
