import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { formatCost } from '../format';
import { conversationHref } from '../router';
import type { BatchProgress } from '../wire';

const POLL_MS = 1_000;

/** The progress of the batch this server serves (`troupe batch --serve`); nothing when it serves none. */
export function BatchPanel() {
  const [progress, setProgress] = useState<BatchProgress | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        setProgress(await api<BatchProgress>('GET', '/api/troupe/batch'));
      } catch (error) {
        // 404: this server runs no batch; stop asking.
        if (error instanceof ApiError && error.status === 404) return setProgress(null);
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  if (!progress) return null;
  const ended = progress.finished + progress.failed + progress.skipped;
  const percent = progress.total === 0 ? 100 : Math.round((100 * ended) / progress.total);
  return (
    <section class="batch-panel" data-testid="batch-panel">
      <div class="batch-head">
        <strong>Batch {progress.source}</strong>
        <span class="muted">{progress.done ? 'done' : `started ${new Date(progress.started_at).toLocaleTimeString()}`}</span>
      </div>
      <div class="progress" role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100}>
        <div class="progress-finished" style={{ width: `${(100 * progress.finished) / Math.max(1, progress.total)}%` }} />
        <div class="progress-failed" style={{ width: `${(100 * (progress.failed + progress.skipped)) / Math.max(1, progress.total)}%` }} />
      </div>
      <div class="batch-counts" data-testid="batch-counts">
        <span>{ended} / {progress.total} done</span>
        <span class="ok">{progress.finished} finished</span>
        <span class="bad">{progress.failed} failed</span>
        {progress.skipped > 0 && <span>{progress.skipped} skipped</span>}
        <span>{progress.running} running</span>
        <span>{formatCost(progress.cost)}</span>
      </div>
      {progress.running_ids.length > 0 && (
        <div class="batch-running">
          Running:{' '}
          {progress.running_ids.slice(0, 20).map((id) => (
            <a key={id} href={conversationHref(id)}>
              {id}
            </a>
          ))}
          {progress.running_ids.length > 20 && <span class="muted"> and {progress.running_ids.length - 20} more</span>}
        </div>
      )}
    </section>
  );
}
