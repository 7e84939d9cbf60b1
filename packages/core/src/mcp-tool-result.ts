import { type Content, textContent } from './content.js';
import type { ToolOutput } from './tool.js';

/** One content block of an MCP tool result, as far as Troupe reads it (the SDK's types, loosely). */
interface McpContentBlock {
  type: string;
  text?: string;
  data?: string;
  mimeType?: string;
  uri?: string;
  name?: string;
  resource?: { uri?: string; text?: string; mimeType?: string };
}

/** What `tools/call` answers: content blocks (or, from an old server, a bare `toolResult`). */
export interface McpCallResult {
  content?: unknown;
  structuredContent?: unknown;
  isError?: unknown;
  toolResult?: unknown;
}

function blockContent(block: McpContentBlock): Content {
  switch (block.type) {
    case 'text':
      return textContent(block.text ?? '');
    case 'image':
      return { type: 'image', image_urls: [`data:${block.mimeType ?? 'image/png'};base64,${block.data ?? ''}`] };
    case 'resource':
      return textContent(block.resource?.text ?? `[Resource ${block.resource?.uri ?? ''} (${block.resource?.mimeType ?? 'binary'}), not shown]`);
    case 'resource_link':
      return textContent(`[Resource link: ${block.name ?? ''} ${block.uri ?? ''}]`);
    default:
      // Audio and any later kind: the model is told what came, rather than nothing.
      return textContent(`[${block.type} content (${block.mimeType ?? 'unknown type'}), not shown]`);
  }
}

/**
 * An MCP tool result as the tool's output, as OpenHands' MCPToolObservation has it: a line saying
 * the tool ran, then its text and image blocks; `isError` as the server set it. A result with only
 * structured content shows that as JSON.
 */
export function mcpResultToOutput(toolName: string, result: McpCallResult): ToolOutput {
  const header = textContent(`[Tool '${toolName}' executed.]`);
  if (result.toolResult !== undefined && result.content === undefined) {
    return { content: [header, textContent(JSON.stringify(result.toolResult))], isError: false };
  }
  const blocks = Array.isArray(result.content) ? (result.content as McpContentBlock[]) : [];
  const content = blocks.map(blockContent);
  if (content.length === 0 && result.structuredContent !== undefined) content.push(textContent(JSON.stringify(result.structuredContent)));
  return { content: [header, ...content], isError: result.isError === true };
}
