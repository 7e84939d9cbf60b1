/**
 * The mock's tokenizer and the pieces it streams text in. Both are deterministic, so tests can
 * compute the numbers they expect.
 */

/** About four characters per token, like the providers' rule of thumb. */
export function estimateTokens(characters: number): number {
  return Math.ceil(characters / 4);
}

/** Tokens of a text under the mock's tokenizer. */
export function textTokens(text: string): number {
  return estimateTokens(text.length);
}

/** Word-sized pieces that concatenate back to `text` exactly. */
export function words(text: string): string[] {
  return text.match(/\s*\S+\s*|\s+/g) ?? [];
}

/** Up to `count` non-empty pieces of about equal length that concatenate back to `text`. */
export function slices(text: string, count: number): string[] {
  const pieces: string[] = [];
  for (let index = 0; index < count; index++) {
    const piece = text.slice(Math.floor((text.length * index) / count), Math.floor((text.length * (index + 1)) / count));
    if (piece !== '') pieces.push(piece);
  }
  return pieces;
}
