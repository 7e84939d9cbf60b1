import { useEffect, useState } from 'preact/hooks';

/** The page a hash names: `#/` the list, `#/new` a new conversation, `#/conversations/<id>` one conversation. */
export type Route = { page: 'list' } | { page: 'new' } | { page: 'conversation'; id: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const conversation = /^\/conversations\/([^/]+)$/.exec(path);
  if (conversation) return { page: 'conversation', id: decodeURIComponent(conversation[1]!) };
  if (path === '/new') return { page: 'new' };
  return { page: 'list' };
}

export const conversationHref = (id: string): string => `#/conversations/${encodeURIComponent(id)}`;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
