import { Thinking } from './thinking';

/** The model's reply as it streams in, until its events arrive. */
export function StreamingReply({ streaming }: { streaming: { content: string; reasoning: string } }) {
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
