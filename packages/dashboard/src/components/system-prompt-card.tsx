import { contentText } from '../events/event-fields';
import type { WireEvent } from '../wire';

/** The system prompt and the tools the agent has, folded away. */
export function SystemPromptCard({ event }: { event: WireEvent }) {
  const prompt = contentText([event.system_prompt]);
  const tools = Array.isArray(event.tools) ? event.tools.length : 0;
  return (
    <details class="card system-prompt" data-testid="event" data-kind="SystemPromptEvent">
      <summary>System prompt · {tools} tools</summary>
      <pre class="output">{prompt}</pre>
    </details>
  );
}
