import type { Redis } from 'ioredis';

/**
 * Records a task's cost so far; the batch's spend grows by what is new. Per task the highest
 * figure wins, so a conversation resumed elsewhere (its stats carry what it cost before) is never
 * counted twice. KEYS: budget hash, task costs hash. ARGV: task id, cost. Returns the spend.
 */
const REPORT = `
local old = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
local new = tonumber(ARGV[2])
if new > old then
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
  return redis.call('HINCRBYFLOAT', KEYS[1], 'spent', tostring(new - old))
end
return redis.call('HGET', KEYS[1], 'spent') or '0'`;

export interface BudgetState {
  /** USD spent by every task of the batch, on any worker, ended or running. */
  spent: number;
  /** The batch's limit, when it has one. */
  limit: number | undefined;
  /** True once the spend reached the limit: no task starts any more. */
  exhausted: boolean;
}

/**
 * A batch's cost budget (`--max-cost`) shared by every worker through Redis: the coordinator sets
 * the limit, workers report the cost of their tasks as it grows and check it before starting one.
 */
export class SharedBudget {
  readonly #redis: Redis;
  readonly #key: string;
  readonly #tasksKey: string;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#key = `${prefix}budget`;
    this.#tasksKey = `${prefix}budget:tasks`;
  }

  /** Sets the batch's limit (USD), or removes it. */
  async setLimit(limit: number | undefined): Promise<void> {
    if (limit === undefined) await this.#redis.hdel(this.#key, 'limit');
    else await this.#redis.hset(this.#key, 'limit', String(limit));
  }

  /** Records what a task has cost so far (a total, not an increment); returns the batch's spend. */
  async report(taskId: string, cost: number): Promise<number> {
    if (!(cost > 0)) return (await this.state()).spent;
    return Number(await this.#redis.eval(REPORT, 2, this.#key, this.#tasksKey, taskId, String(cost)));
  }

  async state(): Promise<BudgetState> {
    const [spentText, limitText] = await this.#redis.hmget(this.#key, 'spent', 'limit');
    const spent = Number(spentText ?? 0);
    const limit = limitText === null || limitText === undefined ? undefined : Number(limitText);
    return { spent, limit, exhausted: limit !== undefined && spent >= limit };
  }
}
