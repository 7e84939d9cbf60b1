import type {
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
  ChatCompletionFunctionTool,
} from 'openai/resources/chat/completions';
import { type Content, contentText, type Message } from './content.js';
import type { ModelTool } from './language-model.js';

/**
 * The OpenAI Chat Completions wire shape of a request's messages and tools, made from Troupe's
 * provider-neutral messages. Chat-specific rules live here:
 * - user text is one string; user content with images becomes parts;
 * - tool messages carry text only, so images of tool results follow the batch's tool messages in
 *   a user message;
 * - adjacent user messages are merged (`\n\n` between them);
 * - reasoning is not sent back (providers that return `reasoning_content` refuse it as input), nor
 *   are Anthropic thinking blocks or Responses reasoning items (Chat has no field for them).
 */
export function toChatMessages(messages: readonly Message[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  let pendingImages: Content[] = [];
  const push = (message: ChatCompletionMessageParam): void => {
    const last = out.at(-1);
    if (last?.role === 'user' && message.role === 'user') {
      last.content = mergeUserContent(last.content, message.content);
      return;
    }
    out.push(message);
  };
  const flushImages = (): void => {
    if (pendingImages.length > 0) push({ role: 'user', content: toParts(pendingImages) });
    pendingImages = [];
  };
  for (const message of messages) {
    if (message.role !== 'tool') flushImages();
    switch (message.role) {
      case 'system':
        push({ role: 'system', content: contentText(message.content) });
        break;
      case 'user': {
        const hasImage = message.content.some((part) => part.type === 'image');
        push({ role: 'user', content: hasImage ? toParts(message.content) : contentText(message.content) });
        break;
      }
      case 'assistant': {
        const text = contentText(message.content);
        if (!message.tool_calls || message.tool_calls.length === 0) {
          push({ role: 'assistant', content: text });
          break;
        }
        push({
          role: 'assistant',
          content: text || null,
          tool_calls: message.tool_calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
        });
        break;
      }
      case 'tool':
        push({ role: 'tool', tool_call_id: message.tool_call_id ?? '', content: contentText(message.content.filter((part) => part.type === 'text')) });
        pendingImages.push(...message.content.filter((part) => part.type === 'image'));
        break;
    }
  }
  flushImages();
  return out;
}

export function toChatTools(tools: readonly ModelTool[]): ChatCompletionFunctionTool[] {
  return tools.map(toChatTool);
}

function toChatTool(tool: ModelTool): ChatCompletionFunctionTool {
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } };
}

/** Each tool's definition as JSON, made once: a conversation offers the same tool objects at every step. */
const toolJson = new WeakMap<ModelTool, string>();
/** The definitions joined, by the first tool object: the same list comes at every step (and from every conversation of one agent). */
const joinedToolJson = new WeakMap<ModelTool, { tools: readonly ModelTool[]; json: string }>();

function definitionsJson(tools: readonly ModelTool[]): string {
  const cached = joinedToolJson.get(tools[0]!);
  if (cached && cached.tools.length === tools.length && cached.tools.every((tool, i) => tool === tools[i])) return cached.json;
  const json = tools
    .map((tool) => {
      let definition = toolJson.get(tool);
      if (definition === undefined) toolJson.set(tool, (definition = JSON.stringify(toChatTool(tool))));
      return definition;
    })
    .join(',');
  joinedToolJson.set(tools[0]!, { tools: [...tools], json });
  return json;
}

/**
 * The JSON body of a chat request: `params` (without tools), and `tools` as `toChatTools` makes
 * them, serialised once per list of tool objects instead of at every step. When `params` has a
 * `tools` field of its own (a `litellmExtraBody` that sets it), that one is sent, as it would
 * override the tools in the object.
 */
export function chatRequestBody(params: object, tools: readonly ModelTool[]): string {
  const json = JSON.stringify(params);
  if (tools.length === 0 || 'tools' in params) return json;
  const body = `{"tools":[${definitionsJson(tools)}]${json === '{}' ? '}' : `,${json.slice(1)}`}`;
  // Flattened now: a body still made of its pieces would keep `json` alive while the request waits for a connection.
  body.charCodeAt(0);
  return body;
}

function toParts(content: readonly Content[]): ChatCompletionContentPart[] {
  const parts: ChatCompletionContentPart[] = [];
  for (const part of content) {
    if (part.type === 'text') parts.push({ type: 'text', text: part.text });
    else for (const url of part.image_urls) parts.push({ type: 'image_url', image_url: { url } });
  }
  return parts;
}

function mergeUserContent(
  a: string | ChatCompletionContentPart[],
  b: string | ChatCompletionContentPart[],
): string | ChatCompletionContentPart[] {
  if (typeof a === 'string' && typeof b === 'string') return `${a}\n\n${b}`;
  const parts = (value: string | ChatCompletionContentPart[]): ChatCompletionContentPart[] =>
    typeof value === 'string' ? [{ type: 'text', text: value }] : value;
  return [...parts(a), ...parts(b)];
}
