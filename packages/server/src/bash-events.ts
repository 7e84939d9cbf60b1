import { z } from 'zod';
import { MAX_TEXT_LENGTH } from './wire-limits.js';

/**
 * The workspace shell's records, in OpenHands' shapes: a `BashCommand` when a command starts and
 * `BashOutput`s as it runs (`exit_code` null until the last; -1 on timeout or failure). Ids are
 * UUIDs as OpenHands writes them (32 hex digits).
 */
export const ExecuteBashRequestSchema = z.object({
  command: z.string().min(1).max(MAX_TEXT_LENGTH),
  /** Where it runs (an existing directory); null: the server's first workspace root, else its working directory. */
  cwd: z.string().min(1).max(4096).nullish(),
  /** Seconds before its process group is killed. */
  timeout: z.preprocess((value) => (value === null ? undefined : value), z.number().int().min(1).max(86_400).default(300)),
});
export type ExecuteBashRequest = z.output<typeof ExecuteBashRequestSchema>;

export const BashCommandSchema = z.object({
  kind: z.literal('BashCommand'),
  id: z.string(),
  timestamp: z.string(),
  command: z.string(),
  cwd: z.string().nullable(),
  timeout: z.number().int(),
});
export type BashCommand = z.output<typeof BashCommandSchema>;

export const BashOutputSchema = z.object({
  kind: z.literal('BashOutput'),
  id: z.string(),
  timestamp: z.string(),
  command_id: z.string(),
  /** 0, 1, 2, … per command. */
  order: z.number().int().nonnegative(),
  exit_code: z.number().int().nullable(),
  stdout: z.string().nullable(),
  stderr: z.string().nullable(),
});
export type BashOutput = z.output<typeof BashOutputSchema>;

export const BashEventSchema = z.discriminatedUnion('kind', [BashCommandSchema, BashOutputSchema]);
export type BashEvent = z.output<typeof BashEventSchema>;

export const BashEventPageSchema = z.object({ items: z.array(BashEventSchema), next_page_id: z.string().nullable() });
export type BashEventPage = z.output<typeof BashEventPageSchema>;

/** A UUID in either spelling (dashed or not), as OpenHands' UUID query parameters accept it. */
export const BashIdSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/, 'a UUID')
  .transform((id) => id.replaceAll('-', '').toLowerCase());

const timestamp = z.iso.datetime({ offset: true, local: true });

export const BashEventSearchQuerySchema = z.object({
  kind__eq: z.enum(['BashCommand', 'BashOutput']).optional(),
  command_id__eq: BashIdSchema.optional(),
  timestamp__gte: timestamp.optional(),
  timestamp__lt: timestamp.optional(),
  /** Only outputs after this order: what a poller has not seen yet. */
  order__gt: z.coerce.number().int().optional(),
  sort_order: z.enum(['TIMESTAMP', 'TIMESTAMP_DESC']).default('TIMESTAMP'),
  /** The `next_page_id` of the previous page. */
  page_id: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(100),
});
export type BashEventSearchQuery = z.output<typeof BashEventSearchQuerySchema>;

export const BashEventParamsSchema = z.object({ event_id: z.string().max(64) });
export const ClearedCountSchema = z.object({ cleared_count: z.number().int().nonnegative() });

/** Reads a timestamp filter; one without an offset is UTC (never the server's local time). */
const instant = (text: string): number => Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);

/**
 * One page of bash events (pure): filtered, in time order (or newest first), from the event with
 * the id `page_id`. `order__gt` applies to outputs only, after paging, as in OpenHands.
 */
export function searchBashEvents(events: readonly BashEvent[], query: BashEventSearchQuery): BashEventPage {
  const gte = query.timestamp__gte === undefined ? undefined : instant(query.timestamp__gte);
  const lt = query.timestamp__lt === undefined ? undefined : instant(query.timestamp__lt);
  const matched = events.filter((event) => {
    if (query.kind__eq !== undefined && event.kind !== query.kind__eq) return false;
    if (query.command_id__eq !== undefined && (event.kind !== 'BashOutput' || event.command_id !== query.command_id__eq)) return false;
    const at = Date.parse(event.timestamp);
    return (gte === undefined || at >= gte) && (lt === undefined || at < lt);
  });
  if (query.sort_order === 'TIMESTAMP_DESC') matched.reverse();
  const start = query.page_id === undefined ? 0 : Math.max(0, matched.findIndex((event) => event.id === query.page_id));
  const page = matched.slice(start, start + query.limit);
  const next = matched[start + query.limit];
  const items = query.order__gt === undefined ? page : page.filter((event) => event.kind !== 'BashOutput' || event.order > query.order__gt!);
  return { items, next_page_id: next ? next.id : null };
}
