/** The notice put where the middle of an over-long text was cut out. */
export const DEFAULT_TRUNCATE_NOTICE =
  '<response clipped><NOTE>Due to the max output limit, only part of the full response has been shown to you.</NOTE>';

/**
 * Keeps the head and tail of `content` so that the result, notice included, is at most `limit` characters.
 * The head gets the extra character when the budget is odd.
 */
export function truncateMiddle(content: string, limit: number, notice: string = DEFAULT_TRUNCATE_NOTICE): string {
  if (content.length <= limit) return content;
  if (notice.length >= limit) return notice.slice(0, limit);
  const available = limit - notice.length;
  const head = Math.ceil(available / 2);
  const tail = available - head;
  return content.slice(0, head) + notice + (tail > 0 ? content.slice(-tail) : '');
}
