import { z } from 'zod';
import { ServerExecutionStatusSchema } from './wire-schemas.js';

/**
 * Troupe's own routes (`/api/troupe/...`, not in OpenHands' API): the dashboard's browser session,
 * compact conversation summaries for a live list, and the progress of a served batch.
 */

/** The login form's body (form-encoded or JSON): a session key to exchange for a session cookie. */
export const SessionLoginRequestSchema = z.object({ session_api_key: z.string().min(1).max(4096) });

export const SessionStatusSchema = z.object({
  /** The server has session keys: pages and API calls need the key or a session cookie. */
  key_required: z.boolean(),
  /** This request carries a live session cookie (or the key), or the server needs none. */
  authenticated: z.boolean(),
});

/** One conversation as a list row shows it: no agent, no per-call lists. */
export const ConversationSummarySchema = z.object({
  id: z.string(),
  title: z.string().nullable(),
  execution_status: ServerExecutionStatusSchema,
  /** The model of the agent's LLM. */
  model: z.string(),
  /** Model calls so far (over every usage id). */
  steps: z.number().int().nonnegative(),
  /** Prompt + completion tokens over every usage id. */
  tokens: z.number().int().nonnegative(),
  /** USD over every usage id. */
  cost: z.number().nonnegative(),
  event_count: z.number().int().nonnegative(),
  created_at: z.string(),
  /** The last activity. */
  updated_at: z.string(),
});
export type ConversationSummaryWire = z.output<typeof ConversationSummarySchema>;

export const ConversationSummaryListSchema = z.object({
  /** Every conversation of the server, newest activity first. */
  items: z.array(ConversationSummarySchema),
});

/** The batch a `troupe batch --serve` runs, as the dashboard shows it. */
export const BatchProgressSchema = z.object({
  /** The task file. */
  source: z.string(),
  total: z.number().int().nonnegative(),
  running: z.number().int().nonnegative(),
  /** Ended `finished`. */
  finished: z.number().int().nonnegative(),
  /** Ended any other way (error, stuck, timeout…). */
  failed: z.number().int().nonnegative(),
  /** Not started: the batch budget was spent. */
  skipped: z.number().int().nonnegative(),
  /** USD spent so far, earlier runs of a resumed batch included. */
  cost: z.number().nonnegative(),
  started_at: z.string(),
  /** Every task has ended (or the batch was stopped). */
  done: z.boolean(),
  /** The conversation ids (= task ids) running now. */
  running_ids: z.array(z.string()),
});
export type BatchProgress = z.output<typeof BatchProgressSchema>;
