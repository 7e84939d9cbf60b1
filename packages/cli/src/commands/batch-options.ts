/** The options of `troupe batch` (the local run and the queue's coordinator). */
export interface BatchCommandOptions {
  /** Default 4 (local batch only). */
  concurrency?: number;
  /** `redis://…`: run the tasks on `troupe worker` processes through this queue instead of here. */
  queue?: string;
  queueName?: string;
  threads?: number;
  model?: string;
  baseUrl?: string;
  out?: string;
  persistenceDir?: string;
  workspaceRoot?: string;
  maxCost?: number;
  timeout?: number;
  resume?: boolean;
  retryFailed?: boolean;
  strict?: boolean;
  mockLatency?: number;
  /** Also serve the batch's conversations and its progress (the agent server and its dashboard). */
  serve?: boolean;
  host?: string;
  port?: number;
  sessionApiKey?: string[];
}
