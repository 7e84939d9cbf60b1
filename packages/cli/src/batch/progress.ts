import cliProgress from 'cli-progress';
import { formatDuration, formatUsd } from '../shared/table.js';
import type { BatchCounts } from './batch-runner.js';
import type { TaskResult } from './results-file.js';

/** Remaining time from the pace so far; undefined until a task has ended. */
export function estimateRemainingMs(counts: BatchCounts, elapsedMs: number): number | undefined {
  const ended = counts.finished + counts.failed;
  const remaining = counts.total - ended - counts.skipped;
  if (remaining <= 0) return 0;
  if (ended === 0 || elapsedMs <= 0) return undefined;
  return (elapsedMs / ended) * remaining;
}

/** The batch's live display: a bar on a terminal, plain log lines otherwise. */
export interface BatchProgress {
  start(counts: BatchCounts): void;
  update(counts: BatchCounts): void;
  taskStarted(id: string, resumed: boolean): void;
  taskEnded(result: TaskResult, counts: BatchCounts): void;
  log(line: string): void;
  stop(): void;
}

export function createProgress(stream: NodeJS.WriteStream, options: { mockPrices: boolean }): BatchProgress {
  return stream.isTTY ? new BarProgress(stream, options.mockPrices) : new LineProgress(stream);
}

class BarProgress implements BatchProgress {
  readonly #bar: cliProgress.SingleBar;
  readonly #started = Date.now();
  readonly #mockPrices: boolean;
  #timer: NodeJS.Timeout | undefined;
  #last: BatchCounts | undefined;

  constructor(stream: NodeJS.WriteStream, mockPrices: boolean) {
    this.#mockPrices = mockPrices;
    this.#bar = new cliProgress.SingleBar(
      {
        stream,
        format: ' {bar} {value}/{total} | done {finished}  running {running}  failed {failed}{skippedText} | {cost} | ETA {etaText}',
        hideCursor: true,
        clearOnComplete: false,
        barsize: 24,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  #payload(counts: BatchCounts) {
    const eta = estimateRemainingMs(counts, Date.now() - this.#started);
    return {
      finished: counts.finished,
      running: counts.running,
      failed: counts.failed,
      skippedText: counts.skipped > 0 ? `  skipped ${counts.skipped}` : '',
      cost: `${formatUsd(counts.cost)}${this.#mockPrices ? ' (mock)' : ''}`,
      etaText: eta === undefined ? '…' : formatDuration(eta),
    };
  }

  start(counts: BatchCounts): void {
    this.#last = counts;
    this.#bar.start(counts.total, 0, this.#payload(counts));
    // Refresh running count, cost and ETA between task ends.
    this.#timer = setInterval(() => this.#last && this.#render(this.#last), 500);
    this.#timer.unref();
  }

  #render(counts: BatchCounts): void {
    this.#bar.update(counts.finished + counts.failed + counts.skipped, this.#payload(counts));
  }

  update(counts: BatchCounts): void {
    this.#last = counts;
    this.#render(counts);
  }

  taskStarted(): void {}

  taskEnded(result: TaskResult, counts: BatchCounts): void {
    this.update(counts);
    if (result.status !== 'finished' && result.status !== 'skipped') this.log(`${result.id}: ${result.status}${result.error ? ` (${result.error})` : ''}`);
  }

  log(line: string): void {
    // Above the bar, without tearing it.
    this.#bar.stop();
    process.stderr.write(`${line}\n`);
    if (this.#last) this.#bar.start(this.#last.total, this.#last.finished + this.#last.failed + this.#last.skipped, this.#payload(this.#last));
  }

  stop(): void {
    clearInterval(this.#timer);
    if (this.#last) this.#render(this.#last);
    this.#bar.stop();
  }
}

class LineProgress implements BatchProgress {
  readonly #stream: NodeJS.WriteStream;
  readonly #started = Date.now();

  constructor(stream: NodeJS.WriteStream) {
    this.#stream = stream;
  }

  start(counts: BatchCounts): void {
    this.log(`batch: ${counts.total} task(s) to run`);
  }

  update(): void {}

  taskStarted(id: string, resumed: boolean): void {
    this.log(`start ${id}${resumed ? ' (resumed)' : ''}`);
  }

  taskEnded(result: TaskResult, counts: BatchCounts): void {
    const ended = counts.finished + counts.failed + counts.skipped;
    const eta = estimateRemainingMs(counts, Date.now() - this.#started);
    const parts = [
      `[${ended}/${counts.total}]`,
      result.id,
      result.status,
      `${result.iterations} it`,
      formatUsd(result.cost),
      formatDuration(result.duration_ms),
      `| done ${counts.finished} running ${counts.running} failed ${counts.failed}${counts.skipped ? ` skipped ${counts.skipped}` : ''}`,
      `cost ${formatUsd(counts.cost)}`,
      `ETA ${eta === undefined ? '?' : formatDuration(eta)}`,
    ];
    this.log(parts.join(' ') + (result.error && result.status !== 'finished' ? ` (${result.error})` : ''));
  }

  log(line: string): void {
    this.#stream.write(`${line}\n`);
  }

  stop(): void {}
}
