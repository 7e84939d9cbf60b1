import type { Signal } from '@preact/signals';
import { Thinking } from './thinking';
import { useFollowBottom } from './use-follow-bottom';

/** The model's reply as it streams in, until its events arrive. */
export function StreamingReply({ streaming: live }: { streaming: Signal<{ content: string; reasoning: string }> }) {
  const streaming = live.value;
  useFollowBottom(streaming);
  if (!streaming.content && !streaming.reasoning) return null;
  return (
    <article class="card message message-agent streaming" data-testid="streaming-reply">
      <header>
        <strong>agent</strong>
        <span class="event-meta">streaming…</span>
      </header>
      <Thinking text={streaming.reasoning} open />
      <div class="text">{streaming.content}</div>
    </article>
  );
}
