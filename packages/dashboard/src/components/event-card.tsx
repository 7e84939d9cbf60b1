import { memo } from 'preact/compat';
import type { WireEvent } from '../wire';
import { ActionCard } from './action-card';
import { ErrorCard } from './error-card';
import { MessageCard } from './message-card';
import { NoticeLine } from './notice-line';
import { ObservationCard } from './observation-card';
import { RawEvent } from './raw-event';
import { SystemPromptCard } from './system-prompt-card';

/** One event, by its kind; a kind the dashboard does not know is shown as its JSON. */
export const EventCard = memo(function EventCard({ event }: { event: WireEvent }) {
  switch (event.kind) {
    case 'MessageEvent':
      return <MessageCard event={event} />;
    case 'ActionEvent':
      return <ActionCard event={event} />;
    case 'ObservationEvent':
      return <ObservationCard event={event} />;
    case 'AgentErrorEvent':
    case 'ConversationErrorEvent':
    case 'ServerErrorEvent':
      return <ErrorCard event={event} />;
    case 'UserRejectObservation':
    case 'PauseEvent':
    case 'InterruptEvent':
    case 'ConversationStateUpdateEvent':
      return <NoticeLine event={event} />;
    case 'SystemPromptEvent':
      return <SystemPromptCard event={event} />;
    default:
      return <RawEvent event={event} />;
  }
});
