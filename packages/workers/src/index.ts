export { Supervisor, type SupervisorOptions, type ConversationListing } from './supervisor.js';
export { actorThreadLimits, LEAN_OLD_GENERATION_MB, LEAN_YOUNG_GENERATION_MB } from './actor-thread-limits.js';
export { Conversation, type ConversationOptions } from './conversation.js';
export type {
  ConversationHandle,
  ConversationHandleOptions,
  ConversationState,
  ConversationEvents,
  ConversationCallback,
  EventSearchInput,
  ForkOptions,
  GenerateTitleInput,
} from './conversation-handle.js';
export { ConversationHandleBase, type DeliveredEvent } from './handle-base.js';
export type { ActorHost } from './actor-host.js';
export { EventStream, type EventStreamOptions, type EventStreamSource } from './event-stream.js';
export { ActorCrashedError, ToolThreadError } from './errors.js';
export {
  MAILBOX_VERSION,
  ActorInitSchema,
  ActorCommandSchema,
  ActorOutboundSchema,
  ClientToolSpecSchema,
  SupervisorOutboundSchema,
  type ActorInit,
  type ActorCommand,
  type ActorOutbound,
  type ClientToolSpec,
  ForkSourceSchema,
  type ForkSource,
  MirroredSnapshotSchema,
  type MirroredSnapshot,
} from './mailbox.js';
export { DEFAULT_MAX_CHILDREN, DelegateParamsSchema, delegationReport } from './delegate-tool.js';
export {
  DelegationRequestSchema,
  DelegationReplySchema,
  SubAgentResultSchema,
  SubAgentSpecSchema,
  type DelegationRequest,
  type DelegationReply,
  type SubAgentResult,
  type SubAgentSpec,
} from './delegation-mail.js';
