import { useEffect, useLayoutEffect } from 'preact/hooks';

/** Whether the window was scrolled to the bottom at the last scroll: then new content is followed. */
let atBottom = true;
let listening = false;

function listen(): void {
  if (listening) return;
  listening = true;
  window.addEventListener(
    'scroll',
    () => {
      atBottom = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 80;
    },
    { passive: true },
  );
}

/** Keeps the newest content in view when `change` changes, unless the reader scrolled up. */
export function useFollowBottom(change: unknown): void {
  useEffect(listen, []);
  useLayoutEffect(() => {
    if (atBottom) window.scrollTo(0, document.documentElement.scrollHeight);
  }, [change]);
}
