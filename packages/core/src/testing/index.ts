export {
  MockToolCallSchema,
  MockUsageSchema,
  MockReplySchema,
  MockFaultSchema,
  MockTurnSchema,
  MockScriptSchema,
  MockTurnBySchema,
  parseMockScript,
  parseMockReply,
  mock,
  type MockThinking,
  type MockToolCall,
  type MockUsage,
  type MockReply,
  type MockFault,
  type MockTurn,
  type MockScript,
  type MockTurnBy,
} from './mock-script.js';
export {
  startMockServer,
  CONVERSATION_ID_HEADER,
  type MockServer,
  type MockServerOptions,
  type MockServerStats,
  type RecordedRequest,
} from './mock-server.js';
export type { MockApi } from './mock-wire.js';
export type { MockTokenUsage, MockUsageTotals, MockUsageReport } from './mock-usage.js';
export type {
  AnthropicRequest,
  AnthropicRequestRecord,
  CacheBreakpoint,
  PromptPosition,
  SentBackThinking,
} from './mock-anthropic-request.js';
export { mockThinkingSignature, mockRedactedThinkingData, mockReasoningEncryptedContent } from './mock-thinking-signature.js';
export type { ResponsesRequestRecord, SentBackReasoning } from './mock-responses-request.js';
export { ScriptedLLM } from './scripted-llm.js';
export { startMockServerProcess, type MockServerProcess, type MockServerProcessStats } from './mock-server-process.js';
