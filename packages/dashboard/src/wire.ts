/**
 * What the dashboard reads of the server's JSON. Loose on purpose: the page must show events and
 * fields it does not know yet (and today's and tomorrow's event shapes), so everything is read
 * defensively by the functions of `events/` rather than trusted to a schema.
 */

export type ExecutionStatus = 'idle' | 'running' | 'paused' | 'waiting_for_confirmation' | 'finished' | 'error' | 'stuck' | 'deleting';

export const STATUSES: readonly ExecutionStatus[] = ['idle', 'running', 'paused', 'waiting_for_confirmation', 'finished', 'error', 'stuck'];

/** A row of `GET /api/troupe/conversations`. */
export interface ConversationSummary {
  id: string;
  title: string | null;
  execution_status: ExecutionStatus;
  model: string;
  steps: number;
  tokens: number;
  cost: number;
  event_count: number;
  created_at: string;
  updated_at: string;
}

export interface TokenUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  cache_read_tokens?: number;
  cache_write_tokens?: number;
  reasoning_tokens?: number;
}

export interface UsageMetrics {
  model_name?: string;
  accumulated_cost?: number;
  accumulated_token_usage?: TokenUsage;
}

/** `GET /api/conversations/{id}` and the `full_state` snapshot of the socket (the parts shown). */
export interface ConversationInfo {
  id: string;
  title?: string;
  execution_status: ExecutionStatus;
  agent?: { llm?: { model?: string } };
  workspace?: { working_dir?: string };
  confirmation_policy?: { kind?: string };
  stats?: { usage_to_metrics?: Record<string, UsageMetrics> };
  event_count?: number;
  last_error?: { code: string; detail: string };
}

/** `GET /api/troupe/batch`. */
export interface BatchProgress {
  source: string;
  total: number;
  running: number;
  finished: number;
  failed: number;
  skipped: number;
  cost: number;
  started_at: string;
  done: boolean;
  running_ids: string[];
}

/** Any event: a `kind` and whatever fields that kind has. */
export type WireEvent = { kind: string; id?: string; timestamp?: string; source?: string } & Record<string, unknown>;
