import type { WireEvent } from '../wire';

/**
 * Reading events defensively, in both the shapes Troupe writes today and OpenHands' exact ones
 * (ActionEvent.action with a `kind`, `tool_call` as `{id, name, arguments, origin}`,
 * `thinking_blocks`, StreamingDeltaEvent). Anything missing reads as absent, never as an error.
 */

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The text of a content list (`[{type:'text', text}, {type:'image', image_urls}]`), images as a note. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => {
      if (!isRecord(part)) return '';
      if (typeof part.text === 'string') return part.text;
      if (Array.isArray(part.image_urls)) return `[${part.image_urls.length} image(s)]`;
      return '';
    })
    .filter((text) => text.length > 0)
    .join('\n');
}

/** A MessageEvent's role and text. */
export function messageOf(event: WireEvent): { role: string; text: string } {
  const message = isRecord(event.llm_message) ? event.llm_message : {};
  return { role: typeof message.role === 'string' ? message.role : String(event.source ?? ''), text: contentText(message.content) };
}

/** The model's reasoning that came with an event: `reasoning_content`, thinking blocks, or a message's own. */
export function thinkingOf(event: WireEvent): string {
  const parts: string[] = [];
  const message = isRecord(event.llm_message) ? event.llm_message : {};
  for (const source of [event, message]) {
    if (typeof source.reasoning_content === 'string' && source.reasoning_content) parts.push(source.reasoning_content);
    if (Array.isArray(source.thinking_blocks)) {
      for (const block of source.thinking_blocks) if (isRecord(block) && typeof block.thinking === 'string') parts.push(block.thinking);
    }
  }
  return parts.join('\n\n');
}

/** The arguments of an action: its validated `action` (without its `kind`), else the tool call's raw JSON. */
export function actionArguments(event: WireEvent): { kind: string | null; args: Record<string, unknown> | null; raw: string | null } {
  const kind = isRecord(event.action) && typeof event.action.kind === 'string' ? event.action.kind : null;
  if (isRecord(event.action)) {
    const { kind: _kind, ...args } = event.action;
    return { kind, args, raw: null };
  }
  const call = isRecord(event.tool_call) ? event.tool_call : {};
  const fn = isRecord(call.function) ? call.function : call;
  const raw = typeof fn.arguments === 'string' ? fn.arguments : null;
  if (raw === null) return { kind, args: null, raw: null };
  try {
    const parsed: unknown = JSON.parse(raw);
    return isRecord(parsed) ? { kind, args: parsed, raw: null } : { kind, args: null, raw };
  } catch {
    return { kind, args: null, raw };
  }
}

/** The model's text that came with an action. */
export function thoughtOf(event: WireEvent): string {
  return contentText(event.thought);
}

/** An observation's text, error flag and extra fields (exit code, path…) beside its content. */
export function observationOf(event: WireEvent): { kind: string | null; text: string; isError: boolean; extra: Record<string, unknown> } {
  const observation = isRecord(event.observation) ? event.observation : {};
  const { kind, content, is_error, ...extra } = observation;
  return { kind: typeof kind === 'string' ? kind : null, text: contentText(content), isError: is_error === true, extra };
}

/** A short line for a value of an argument list. */
export function previewValue(value: unknown, max = 400): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Events only sent live (deltas, the snapshot, server errors): not in the log, so not counted for a resume. */
export function isLiveOnly(event: WireEvent): boolean {
  if (event.kind === 'ConversationStateUpdateEvent') return event.key === 'full_state';
  return event.kind === 'StreamingDeltaEvent' || event.kind === 'ServerErrorEvent' || (event.kind === 'TokenEvent' && !Array.isArray(event.prompt_token_ids));
}

/** A piece of the model's reply as it streams: today's TokenEvent and OpenHands' StreamingDeltaEvent. */
export function streamingDelta(event: WireEvent): { content: string; reasoning: string } | null {
  if (event.kind !== 'StreamingDeltaEvent' && !(event.kind === 'TokenEvent' && !Array.isArray(event.prompt_token_ids))) return null;
  return { content: typeof event.content === 'string' ? event.content : '', reasoning: typeof event.reasoning_content === 'string' ? event.reasoning_content : '' };
}
