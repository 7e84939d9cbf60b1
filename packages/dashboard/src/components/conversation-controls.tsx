import { api, conversationPath } from '../api';
import type { ExecutionStatus } from '../wire';
import { useAction } from './use-action';

/** Run, pause, interrupt, and approve or reject the actions waiting for confirmation. */
export function ConversationControls({ id, status }: { id: string; status: ExecutionStatus }) {
  const { busy, error, run } = useAction();
  const post = (path: string, body?: unknown) => run(() => api('POST', conversationPath(id, path), body));
  const running = status === 'running';
  const waiting = status === 'waiting_for_confirmation';
  return (
    <div class="controls">
      <div class="buttons">
        <button type="button" data-testid="run" disabled={busy || running} onClick={() => void post('/run?join=true')}>
          Run
        </button>
        <button type="button" data-testid="pause" disabled={busy || !running} onClick={() => void post('/pause')}>
          Pause
        </button>
        <button type="button" data-testid="interrupt" disabled={busy || !running} onClick={() => void post('/interrupt')}>
          Interrupt
        </button>
      </div>
      {waiting && (
        <div class="buttons confirm" data-testid="confirmation">
          <span>Actions wait for your approval:</span>
          <button type="button" class="primary" data-testid="approve" disabled={busy} onClick={() => void post('/events/respond_to_confirmation', { accept: true })}>
            Approve
          </button>
          <button type="button" class="danger" data-testid="reject" disabled={busy} onClick={() => void post('/events/respond_to_confirmation', { accept: false, reason: 'Rejected from the dashboard.' })}>
            Reject
          </button>
        </div>
      )}
      {error && <p class="error">{error}</p>}
    </div>
  );
}
