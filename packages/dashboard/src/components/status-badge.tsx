import type { ExecutionStatus } from '../wire';

const LABELS: Record<string, string> = { waiting_for_confirmation: 'awaiting approval' };

export function StatusBadge({ status }: { status: ExecutionStatus | string }) {
  return <span class={`status status-${status}`} data-status={status}>{LABELS[status] ?? status}</span>;
}
