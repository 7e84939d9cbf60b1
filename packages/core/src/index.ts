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
export * from './events.js';
export * from './errors.js';
export { SecretRegistry, SECRET_MASK, type SecretAccess } from './secret-registry.js';
export {
  defineTool,
  toToolSpec,
  toObservation,
  SECURITY_RISK_PARAMETER,
  type ToolDefinition,
  type ToolContext,
  type ToolOutput,
  type ToolEnvironment,
  type ToolProvider,
  type DefineToolOptions,
} from './tool.js';
export { createConsoleLogger, maskingLogger, type Logger } from './logger.js';
