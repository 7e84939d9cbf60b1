import { MAX_RESPONSE_LEN_CHAR } from '../file-editor/cat-n.js';
import { truncateMiddle } from '../truncate.js';

/** glob and grep list at most this many files, as OpenHands does. */
export const MAX_SEARCH_RESULTS = 100;
/** A search stops after this long (OpenHands gives its search process as long) and says its results are partial. */
export const SEARCH_TIME_LIMIT_MS = 30_000;

export const TRUNCATED_NOTE = `[Results truncated to first ${MAX_SEARCH_RESULTS} files. Consider using a more specific pattern.]`;

/** Why a search that stopped early has partial results. */
export function partialNote(signal: AbortSignal): string {
  return signal.aborted
    ? '[The search was interrupted, so these results are partial.]'
    : `[The search stopped after ${SEARCH_TIME_LIMIT_MS / 1000} seconds, so these results are partial. Search a narrower path.]`;
}

/** `summary`, then the files one a line, then the notes; bounded like every tool output. */
export function searchReport(summary: string, files: readonly string[], notes: readonly string[]): string {
  const listed = files.length === 0 ? summary : `${summary}:\n${files.join('\n')}`;
  return truncateMiddle([listed, ...notes].join('\n\n'), MAX_RESPONSE_LEN_CHAR);
}
