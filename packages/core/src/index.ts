export {
  TextContentSchema,
  ImageContentSchema,
  ContentSchema,
  ToolCallSchema,
  MessageSchema,
  UserMessageInputSchema,
  textContent,
  contentText,
  toUserMessage,
  type TextContent,
  type ImageContent,
  type Content,
  type ToolCall,
  type Message,
  type Role,
  type UserMessageInput,
} from './content.js';
export {
  EventSchema,
  EventSourceSchema,
  SecurityRiskSchema,
  ToolSpecSchema,
  SystemPromptEventSchema,
  MessageEventSchema,
  ActionEventSchema,
  ObservationSchema,
  ObservationEventSchema,
  UserRejectObservationSchema,
  AgentErrorEventSchema,
  PauseEventSchema,
  InterruptEventSchema,
  ConversationStateUpdateEventSchema,
  ConversationErrorEventSchema,
  TokenEventSchema,
  StuckPatternSchema,
  createEvent,
  isLLMConvertible,
  isActionResult,
  type Event,
  type EventKind,
  type EventInit,
  type EventSource,
  type SecurityRisk,
  type ToolSpec,
  type SystemPromptEvent,
  type MessageEvent,
  type ActionEvent,
  type Observation,
  type ObservationEvent,
  type UserRejectObservation,
  type AgentErrorEvent,
  type PauseEvent,
  type InterruptEvent,
  type ConversationStateUpdateEvent,
  type ConversationErrorEvent,
  type TokenEvent,
  type StuckPattern,
  type LLMConvertibleEvent,
  type ActionResultEvent,
} from './events.js';
export { eventsToMessages, resultText, observationText, ERROR_OBSERVATION_HEADER } from './events-to-messages.js';
export { toChatMessages, toChatTools } from './openai-chat-messages.js';
export {
  EventFilterSchema,
  EventSearchSchema,
  EventSortOrderSchema,
  eventMatcher,
  searchEvents,
  countEvents,
  firstSeqAtOrAfter,
  type EventFilter,
  type EventSearch,
  type EventPage,
} from './event-query.js';
export { agentFinalResponse, finalResponseOf } from './final-response.js';
export {
  TroupeError,
  ConfigError,
  WorkspacePathError,
  LLMError,
  LLMRateLimitError,
  LLMAbortedError,
  ConversationStateError,
  ConversationClosedError,
  PersistenceError,
  SchemaVersionError,
  MissingToolError,
  MailboxError,
  ToolArgumentsError,
  EventQueryError,
  serializeError,
  isSerializedError,
  reviveError,
  errorMessage,
  type SerializedError,
} from './errors.js';
export { formatZodIssues } from './zod-issues.js';
export { withoutApiKey } from './api-key.js';
export { writeFileAtomic, readFileIfExists, type AtomicWriteOptions } from './atomic-write.js';
export { LLMConfigSchema, type LLMConfig, type LLMOptions } from './llm-config.js';
export { LLM } from './llm.js';
export type { LanguageModel, CompletionRequest, CompletionResponse, TokenDelta, ModelTool, RetryNotice } from './language-model.js';
export type { ProviderAdapter, AdapterReply, FailureClass } from './provider-adapter.js';
export { OpenAIChatAdapter } from './openai-chat-adapter.js';
export { routeModel, type ProviderRoute } from './provider-routing.js';
export { lookupPrice, type ModelPrice } from './price-table.js';
export { backoffDelay, parseRetryAfter, sleep, type BackoffPolicy } from './retry.js';
export {
  MetricsSchema,
  TokenUsageSchema,
  ConversationStatsSchema,
  emptyStats,
  recordCall,
  totalCost,
  totalTokenUsage,
  statsSnapshot,
  type Metrics,
  type TokenUsage,
  type ConversationStats,
  type LLMCallRecord,
} from './metrics.js';
export {
  AgentConfigSchema,
  AgentRecordSchema,
  ToolRefSchema,
  agentToRecord,
  agentFromRecord,
  redactAgent,
  verifyResumedTools,
  type AgentConfig,
  type AgentRecord,
  type ToolRef,
} from './agent-config.js';
export { Agent, type AgentOptions } from './agent.js';
export {
  defineTool,
  toToolSpec,
  toModelTool,
  toParametersJsonSchema,
  toObservation,
  SECURITY_RISK_PARAMETER,
  NoToolParamsSchema,
  createTool,
  type ToolDefinition,
  type ToolContext,
  type ToolOutput,
  type ToolEnvironment,
  type ToolProvider,
  type DefineToolOptions,
} from './tool.js';
export { finishTool, thinkTool, DEFAULT_TOOLS } from './builtin-tools.js';
export { parseToolCall, resolveToolName, invalidArgumentsText, TOOL_NAME_ALIASES, type ParsedToolCall } from './tool-call-parsing.js';
export { resolveModelResponse, NO_ACTION_NUDGE, type ResolvedResponse, type ResponseOutcome } from './model-response.js';
export { unmatchedActions } from './pending-actions.js';
export {
  ConfirmationPolicySchema,
  ConfirmationPolicyInputSchema,
  normalizeConfirmationPolicy,
  requiresConfirmation,
  type ConfirmationPolicy,
  type ConfirmationPolicyInput,
} from './confirmation-policy.js';
export {
  StuckThresholdsSchema,
  StuckDetectionSchema,
  normalizeStuckDetection,
  detectStuck,
  actionErrorNudge,
  type StuckThresholds,
  type StuckDetectionInput,
  type StuckVerdict,
} from './stuck-detector.js';
export { SecretRegistry, SECRET_MASK, credentialValues, type SecretAccess } from './secret-registry.js';
export { buildSystemPrompt } from './system-prompt.js';
export { ConversationStatusSchema, type ConversationStatus } from './conversation-status.js';
export {
  ConversationSnapshotSchema,
  QueuedMessageSchema,
  LastErrorSchema,
  type ConversationSnapshot,
  type QueuedMessage,
  type LastError,
} from './conversation-snapshot.js';
export { DurabilitySchema, persistPolicy, type Durability, type PersistPoint, type ConversationStore } from './conversation-store.js';
export { ConversationRuntime } from './conversation-runtime.js';
export { DEFAULT_MAX_ITERATIONS, type ConversationRuntimeOptions, type MessageAck } from './conversation-runtime-options.js';
export {
  decideBeforeStep,
  decideAfterStep,
  budgetExhausted,
  iterationsExhausted,
  type StepResult,
  type StepOutcome,
  type RunEnd,
  type RunLimits,
} from './step-outcome.js';
export { recoverAfterUncleanStop, lastStatusIn, RECOVERED_TOOL_ERROR, type Recovery } from './crash-recovery.js';
export { INTERRUPTED_TOOL_ERROR } from './tool-execution.js';
export { readEventLog, EventLogWriter, type EventLogRecord, type LoadedEventLog } from './event-log.js';
export {
  StateFileSchema,
  toStateFile,
  fromStateFile,
  readStateFile,
  writeStateFile,
  STATE_FILE,
  EVENTS_FILE,
  SCHEMA_VERSION,
  type StateFile,
} from './state-file.js';
export {
  FileConversationStore,
  loadConversation,
  listStoredConversations,
  type LoadedConversation,
} from './file-conversation-store.js';
export { openPersistedRuntime, type PersistedRuntimeOptions } from './persisted-runtime.js';
export { snakeCase, camelCase } from './key-case.js';
export { workspacePathProblem, resolveWorkspacePath, prepareWorkspace, WORKSPACE_PATH_LIMITS } from './workspace-path.js';
export { createConsoleLogger, maskingLogger, type Logger } from './logger.js';
export { TRACER_NAME, TRACE_ATTRIBUTES } from './tracing.js';
