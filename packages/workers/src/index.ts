export { Supervisor, type SupervisorOptions, type ConversationSummary } from './supervisor.js';
export {
  Conversation,
  type ConversationOptions,
  type ConversationInfo,
  type ConversationEvents,
  type ConversationCallback,
} from './conversation.js';
export { EventStream, type EventStreamOptions, type EventStreamSource } from './event-stream.js';
export { ActorCrashedError } from './errors.js';
export {
  MAILBOX_VERSION,
  ActorInitSchema,
  ActorCommandSchema,
  ActorOutboundSchema,
  ActorStateSchema,
  ClientToolSpecSchema,
  SupervisorOutboundSchema,
  type ActorInit,
  type ActorCommand,
  type ActorOutbound,
  type ActorState,
  type ClientToolSpec,
} from './mailbox.js';
