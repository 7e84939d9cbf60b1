import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The `signature` of the mock's thinking blocks, the `data` of its redacted thinking blocks and the
 * `encrypted_content` of its Responses reasoning items.
 * Opaque to clients, like Anthropic's: base64 of an HMAC-SHA256 and the thinking it seals, so the
 * mock can tell on a later request whether a block it issued came back unchanged. Deterministic:
 * the same thinking gets the same signature from every mock server, in any process.
 */

const KEY = 'troupe-mock-thinking-v1';
const MAC_BYTES = 32;

/** `omitted`: a thinking block sent with `display: 'omitted'`, whose text the client never saw. `reasoning`: a Responses API reasoning item. */
type SealKind = 'thinking' | 'omitted' | 'redacted' | 'reasoning';

/** The signature the mock gives a thinking block; `omitted` when the request asked `display: 'omitted'`. */
export function mockThinkingSignature(thinking: string, display: 'summarized' | 'omitted' = 'summarized'): string {
  return seal(display === 'omitted' ? 'omitted' : 'thinking', thinking);
}

/** The `data` of the redacted thinking block the mock makes of `text`. */
export function mockRedactedThinkingData(text: string): string {
  return seal('redacted', text);
}

/** The `encrypted_content` of the reasoning item the mock's Responses route makes of `text`. */
export function mockReasoningEncryptedContent(text: string): string {
  return seal('reasoning', text);
}

/** Whether a reasoning item's `encrypted_content` sent back is one the mock issued, unchanged. */
export function isValidMockReasoning(encrypted: string): boolean {
  return open(encrypted)?.kind === 'reasoning';
}

/** Whether a `thinking` block sent back is one the mock issued, with its text unchanged. */
export function isValidMockThinking(thinking: string, signature: string): boolean {
  const opened = open(signature);
  if (opened?.kind === 'thinking') return opened.text === thinking;
  // The client got an empty text with this signature, and must send it back empty.
  return opened?.kind === 'omitted' && thinking === '';
}

/** Whether a `redacted_thinking` block's data is one the mock issued, unchanged. */
export function isValidMockRedactedThinking(data: string): boolean {
  return open(data)?.kind === 'redacted';
}

function seal(kind: SealKind, text: string): string {
  const payload = Buffer.from(`${kind}\n${text}`, 'utf8');
  return Buffer.concat([mac(payload), payload]).toString('base64');
}

function open(sealed: string): { kind: string; text: string } | undefined {
  const bytes = Buffer.from(sealed, 'base64');
  // Node's base64 decoder skips what it cannot read: only a value that round-trips is one we made.
  if (bytes.length <= MAC_BYTES || bytes.toString('base64') !== sealed) return undefined;
  const payload = bytes.subarray(MAC_BYTES);
  if (!timingSafeEqual(bytes.subarray(0, MAC_BYTES), mac(payload))) return undefined;
  const text = payload.toString('utf8');
  const newline = text.indexOf('\n');
  return { kind: text.slice(0, newline), text: text.slice(newline + 1) };
}

function mac(payload: Buffer): Buffer {
  return createHmac('sha256', KEY).update(payload).digest();
}
