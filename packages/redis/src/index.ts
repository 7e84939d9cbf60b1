export { RedisConversationStorage, RedisStorageConfigSchema, type RedisStorageOptions } from './redis-conversation-storage.js';
export { RedisConversationStore } from './redis-conversation-store.js';
export { ConversationLease, type LeaseTiming } from './conversation-lease.js';
export { ConversationKeys } from './conversation-keys.js';
export { TaskQueue, queuePrefix, type TaskQueueOptions, type JobOutcome, type QueueCounts } from './task-queue.js';
export { TaskWorker, type TaskWorkerOptions, type TaskOutcome } from './task-worker.js';
export { SharedBudget, type BudgetState } from './shared-budget.js';
export { createRedisConnection, assertReachable, checkRedisUrl, displayUrl } from './redis-connection.js';
