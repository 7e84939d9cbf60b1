export {
  TextContentSchema,
  ImageContentSchema,
  ContentSchema,
  ToolCallSchema,
  MessageSchema,
  ThinkingBlockSchema,
  RedactedThinkingBlockSchema,
  AnyThinkingBlockSchema,
  ReasoningItemSchema,
  UserMessageInputSchema,
  textContent,
  contentText,
  toUserMessage,
  type TextContent,
  type ImageContent,
  type Content,
  type ToolCall,
  type Message,
  type ThinkingBlock,
  type RedactedThinkingBlock,
  type AnyThinkingBlock,
  type ReasoningItem,
  type Role,
  type UserMessageInput,
} from './content.js';
export { EventSourceSchema, SecurityRiskSchema, type EventSource, type SecurityRisk } from './event-base.js';
export { ErrorClassificationSchema, type ErrorClassification } from './error-classification.js';
export { StreamingDeltaEventSchema, TokenEventSchema, type StreamingDeltaEvent, type TokenEvent } from './streaming-events.js';
export {
  CondensationSchema,
  CondensationRequestSchema,
  CondensationSummaryEventSchema,
  type Condensation,
  type CondensationRequest,
  type CondensationSummaryEvent,
} from './condenser-events.js';
export { HookExecutionEventSchema, HookEventTypeSchema, type HookExecutionEvent, type HookEventType } from './hook-execution-event.js';
export {
  HookConfigSchema,
  StoredHookConfigSchema,
  HookMatcherSchema,
  HookDefinitionSchema,
  HOOK_EVENT_FIELDS,
  DEFAULT_HOOK_TIMEOUT_SECONDS,
  parseHookConfig,
  matchersFor,
  isEmptyHookConfig,
  type HookConfig,
  type HookConfigInput,
  type HookMatcher,
  type HookMatcherInput,
  type HookDefinition,
} from './hook-config.js';
export { matcherSelects, hooksFor } from './hook-matcher.js';
export {
  interpretHookRun,
  blockingReason,
  additionalContextOf,
  stopFeedback,
  stopsOnBlock,
  lastUserMessageBlocked,
  DEFAULT_BLOCK_REASON,
  STOP_HOOK_FEEDBACK_PREFIX,
  type HookRun,
  type HookResult,
} from './hook-decision.js';
export { runHookProcess, type HookProcessOptions } from './hook-process.js';
export { ConversationHooks, MAX_HOOK_LOG_CHARS, type ConversationHooksOptions } from './conversation-hooks.js';
export { INHERITED_VARIABLES, inheritedEnvironment, isValidVariableName } from './inherited-environment.js';
export {
  ActionSchema,
  TerminalActionSchema,
  FileEditorActionSchema,
  PlanningFileEditorActionSchema,
  TaskTrackerActionSchema,
  FinishActionSchema,
  ThinkActionSchema,
  GlobActionSchema,
  GrepActionSchema,
  ApplyPatchActionSchema,
  MCPToolActionSchema,
  FILE_EDITOR_COMMANDS,
  type Action,
  type ActionKind,
} from './tool-actions.js';
export {
  ObservationSchema,
  TerminalObservationSchema,
  TerminalMetadataSchema,
  FileEditorObservationSchema,
  PlanningFileEditorObservationSchema,
  TaskTrackerObservationSchema,
  FinishObservationSchema,
  ThinkObservationSchema,
  GlobObservationSchema,
  GrepObservationSchema,
  ApplyPatchObservationSchema,
  MCPToolObservationSchema,
  type Observation,
  type ObservationKind,
} from './tool-observations.js';
export {
  ToolAnnotationsSchema,
  ToolDefinitionRecordSchema,
  BUILTIN_TOOL_KINDS,
  type ToolAnnotations,
  type ToolDefinitionRecord,
  type BuiltinToolKind,
  type ToolWire,
} from './tool-wire.js';
export { toWireAction, actionArguments, toObservation, toToolDefinitionRecord } from './tool-wire-form.js';
export {
  EventSchema,
  SystemPromptEventSchema,
  MessageEventSchema,
  ActionEventSchema,
  ObservationEventSchema,
  UserRejectObservationSchema,
  AgentErrorEventSchema,
  PauseEventSchema,
  InterruptEventSchema,
  ConversationStateUpdateEventSchema,
  ConversationErrorEventSchema,
  StuckPatternSchema,
  createEvent,
  isLLMConvertible,
  isActionResult,
  type Event,
  type EventKind,
  type EventInit,
  type SystemPromptEvent,
  type MessageEvent,
  type ActionEvent,
  type ObservationEvent,
  type UserRejectObservation,
  type AgentErrorEvent,
  type PauseEvent,
  type InterruptEvent,
  type ConversationStateUpdateEvent,
  type ConversationErrorEvent,
  type StuckPattern,
  type LLMConvertibleEvent,
  type ActionResultEvent,
} from './events.js';
export { randomId } from './random-id.js';
export { ConversationMessages, type MessageOptions } from './conversation-messages.js';
export { eventsToMessages, resultText, observationText, ERROR_OBSERVATION_HEADER, IMAGE_LEFT_OUT_NOTE } from './events-to-messages.js';
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
  ContextLengthExceededError,
  LLMAbortedError,
  ConversationStateError,
  ConversationClosedError,
  PersistenceError,
  SchemaVersionError,
  ConversationLeaseError,
  MissingToolError,
  SkillFileError,
  PluginError,
  MailboxError,
  ToolArgumentsError,
  ToolOutputError,
  EventQueryError,
  EventNotFoundError,
  ConversationExistsError,
  McpServerError,
  serializeError,
  isSerializedError,
  reviveError,
  errorMessage,
  type SerializedError,
} from './errors.js';
export { formatZodIssues } from './zod-issues.js';
export { withoutApiKey, configApiKeys } from './api-key.js';
export { writeFileAtomic, readFileIfExists, type AtomicWriteOptions } from './atomic-write.js';
export {
  LLMConfigSchema,
  ReasoningEffortSchema,
  FallbackModelSchema,
  type LLMConfig,
  type LLMOptions,
  type ReasoningEffort,
  type FallbackModel,
} from './llm-config.js';
export { LLM } from './llm.js';
export type { LanguageModel, CompletionRequest, CompletionResponse, TokenDelta, ModelTool, RetryNotice, FallbackNotice } from './language-model.js';
export type { ProviderAdapter, AdapterReply, FailureClass } from './provider-adapter.js';
export { OpenAIChatAdapter } from './openai-chat-adapter.js';
export { OpenAIResponsesAdapter } from './openai-responses-adapter.js';
export { toResponsesRequest, type ResponsesRequestParams, type ResponsesInputItem } from './openai-responses-messages.js';
export { AnthropicAdapter } from './anthropic-adapter.js';
export {
  toAnthropicRequest,
  anthropicMaxTokens,
  DEFAULT_ANTHROPIC_MAX_TOKENS,
  type AnthropicRequestParams,
  type AnthropicTurn,
  type AnthropicBlock,
} from './anthropic-messages.js';
export { routeModel, routeApiKey, AZURE_DEFAULT_API_VERSION, type ProviderRoute, type RouteOptions, type Env } from './provider-routing.js';
export { PROVIDERS, bareModelProvider, type ProviderSpec, type ProviderApi, type ProviderOption } from './provider-table.js';
export { checkLLMOptions } from './llm-options-check.js';
export { modelCapabilities, type ModelCapabilities } from './model-capabilities.js';
export { modelFamilyKey } from './model-name.js';
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
  type TokenCounts,
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
export { Agent, type AgentOptions, type CondenserOptions } from './agent.js';
export {
  AgentDefinitionSchema,
  AgentDefinitionsSchema,
  DEFAULT_AGENT_TYPE,
  DELEGATE_TOOL_NAME,
  subAgentConfig,
  type AgentDefinition,
  type AgentDefinitionInput,
} from './agent-definition.js';
export { combinedMetrics, delegateUsageId, subConversationId } from './sub-conversations.js';
export {
  CondenserConfigSchema,
  CONDENSER_USAGE_ID,
  condenserLLMConfig,
  type CondenserConfig,
  type CondenserInput,
} from './condenser-config.js';
export { Condenser, condenserConversationId, type CondenserContext } from './condenser.js';
export { viewOf, applyCondensation, summaryEvent, summaryEventId, ConversationView, type View } from './conversation-view.js';
export { decideCondensation, cutPoints, type CondensationDecision, type CondensationRequirement } from './condensation-decision.js';
export { summaryPrompt, eventText } from './condensation-prompt.js';
export {
  AgentContextSchema,
  SkillSchema,
  matchTrigger,
  recallSkills,
  extendUserMessage,
  type AgentContext,
  type AgentContextInput,
  type Skill,
  type SkillInput,
  type RecalledSkill,
} from './agent-context.js';
export { parseSkillFile } from './skill-file.js';
export { PluginSourceSchema, loadPlugin, loadPlugins, pluginDirectory, type Plugin, type PluginSource } from './plugin.js';
export { mergePlugins } from './plugin-merge.js';
export {
  loadWorkspaceContext,
  conversationSkills,
  REPOSITORY_INSTRUCTION_FILES,
  LEGACY_REPOSITORY_FILE,
  SKILL_DIRECTORIES,
  MAX_SKILL_FILE_CHARACTERS,
  type WorkspaceContext,
} from './workspace-context.js';
export {
  McpConfigSchema,
  McpServerConfigSchema,
  MCP_TRANSPORTS,
  mcpTransportOf,
  enabledMcpServers,
  mcpToolName,
  mcpCredentialValues,
  expandMcpSecrets,
  type McpConfig,
  type McpServerConfig,
  type McpTransport,
} from './mcp-config.js';
export { mcpResultToOutput, type McpCallResult } from './mcp-tool-result.js';
export {
  defineTool,
  defineJsonSchemaTool,
  type JsonSchemaToolOptions,
  toModelTool,
  toParametersJsonSchema,
  normalizeToolOutput,
  type NormalizedToolOutput,
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
export { parseToolCall, checkToolArguments, resolveToolName, invalidArgumentsText, TOOL_NAME_ALIASES, type ParsedToolCall } from './tool-call-parsing.js';
export { resolveModelResponse, NO_ACTION_NUDGE, type ResolvedResponse, type ResponseOutcome } from './model-response.js';
export { unmatchedActions } from './pending-actions.js';
export { ForkSeedSchema, type ForkSeed, forkedEvents, forkClosingEvents, FORK_UNFINISHED_ACTION_ERROR } from './conversation-fork.js';
export { ASK_AGENT_USAGE_ID, askAgentQuestion, askAgentMessages, askAgentAnswer, askModel } from './ask-agent.js';
export {
  DEFAULT_TITLE_MAX_LENGTH,
  firstUserMessageText,
  clampTitle,
  titleRequestMessages,
  generateTitle,
  titleConversationId,
  type GenerateTitleOptions,
} from './conversation-title.js';
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
export { buildSystemPrompt, type SystemPromptContext } from './system-prompt.js';
export { defaultSystemPrompt, type SystemPromptTemplateInput } from './system-prompt-template.js';
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
export type { DelegationRecord } from './runtime-state.js';
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
export { recoverAfterUncleanStop, lastStatusIn, RECOVERED_TOOL_ERROR, RECOVERED_AFTER_UNCLEAN_STOP, type Recovery } from './crash-recovery.js';
export { INTERRUPTED_TOOL_ERROR } from './tool-execution.js';
export {
  readEventLog,
  EventLogWriter,
  eventLogRecord,
  parseEventLogRecord,
  type EventLogRecord,
  type LoadedEventLog,
  type RecordPlace,
} from './event-log.js';
export { SharedFileHandles } from './shared-file-handles.js';
export { FILE_HANDLES_KEPT, FILE_HANDLES_VARIABLE, fileHandlesKept } from './file-handle-budget.js';
export { StateFileWriter } from './state-file-writer.js';
export {
  StateFileSchema,
  toStateFile,
  fromStateFile,
  readStateFile,
  parseStateFile,
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
export {
  StorageSpecSchema,
  AttachmentNameSchema,
  type StorageSpec,
  type ConversationStorage,
  type ConversationStorageModule,
  type OpenedConversation,
} from './conversation-storage.js';
export { FileConversationStorage, openConversationDir, type FileStorageOptions } from './file-conversation-storage.js';
export { openPersistedRuntime, type PersistedRuntimeOptions } from './persisted-runtime.js';
export { snakeCase, camelCase } from './key-case.js';
export { workspacePathProblem, resolveWorkspacePath, prepareWorkspace, WORKSPACE_PATH_LIMITS } from './workspace-path.js';
export { createConsoleLogger, maskingLogger, type Logger } from './logger.js';
export { TRACER_NAME, TRACE_ATTRIBUTES } from './tracing.js';
