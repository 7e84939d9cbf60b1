import { useState } from 'preact/hooks';
import { api, conversationPath } from '../api';
import { useAction } from './use-action';

/** Sends a user message and runs the agent; while it runs, the message joins at its next step. */
export function MessageBox({ id, running }: { id: string; running: boolean }) {
  const [text, setText] = useState('');
  const { busy, error, run } = useAction();
  const send = (event: Event) => {
    event.preventDefault();
    const message = text.trim();
    if (!message) return;
    void run(async () => {
      await api('POST', conversationPath(id, '/events'), { role: 'user', content: [{ type: 'text', text: message }], run: true });
      setText('');
    });
  };
  return (
    <form class="message-box" onSubmit={send}>
      <textarea
        data-testid="message-input"
        placeholder={running ? 'The agent is working: your message joins at its next step' : 'Message the agent (Ctrl+Enter sends)'}
        value={text}
        rows={3}
        onInput={(event) => setText((event.currentTarget as HTMLTextAreaElement).value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) send(event);
        }}
      />
      <button type="submit" class="primary" data-testid="send" disabled={busy || text.trim() === ''}>
        Send
      </button>
      {error && <p class="error">{error}</p>}
    </form>
  );
}
