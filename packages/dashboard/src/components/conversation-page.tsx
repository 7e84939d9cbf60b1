import { useEffect, useMemo } from 'preact/hooks';
import { ConversationStream } from '../store/conversation-stream';
import { ConversationControls } from './conversation-controls';
import { EventLog } from './event-log';
import { MessageBox } from './message-box';
import { StatusBadge } from './status-badge';
import { UsageTable } from './usage-table';

/** One conversation: its status and controls, cost per usage id, its events live, and a box to send a message. */
export function ConversationPage({ id }: { id: string }) {
  const stream = useMemo(() => new ConversationStream(id), [id]);
  useEffect(() => () => stream.close(), [stream]);
  const info = stream.info.value;
  const status = info?.execution_status ?? 'idle';
  return (
    <section class="conversation-page">
      <div class="conversation-head">
        <div>
          <a href="#/" class="muted">
            ← All conversations
          </a>
          <h1 data-testid="conversation-title">{info?.title ?? id}</h1>
          <div class="facts">
            <span data-testid="conversation-status">
              <StatusBadge status={status} />
            </span>
            <span class="muted">{info?.agent?.llm?.model}</span>
            <span class="muted">{info?.workspace?.working_dir}</span>
            <span class={`connection connection-${stream.connection.value}`} data-testid="connection">
              {stream.connection.value}
            </span>
          </div>
          {info?.last_error && status === 'error' && (
            <p class="error">
              {info.last_error.code}: {info.last_error.detail}
            </p>
          )}
          {stream.problem.value && <p class="error">{stream.problem.value}</p>}
        </div>
        <ConversationControls id={id} status={status} />
      </div>
      <UsageTable info={info} />
      <EventLog events={stream.events.value} streaming={stream.streaming} />
      <MessageBox id={id} running={status === 'running'} />
    </section>
  );
}
