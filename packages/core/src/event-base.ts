import { z } from 'zod';

/** ISO 8601 with an explicit offset, e.g. `2026-11-22T00:31:01.123Z`. */
export const TimestampSchema = z.iso.datetime({ offset: true });

/** The fields every event has beside its `kind` and `source`. */
export const eventBase = {
  id: z.string().min(1),
  timestamp: TimestampSchema,
};
