import { signal } from '@preact/signals';
import { api } from '../api';
import type { ConversationSummary } from '../wire';

const POLL_MS = 1_000;

const sameRow = (a: ConversationSummary, b: ConversationSummary): boolean =>
  a.updated_at === b.updated_at && a.execution_status === b.execution_status && a.steps === b.steps && a.cost === b.cost && a.tokens === b.tokens && a.title === b.title;

/**
 * Every conversation of the server, polled from `/api/troupe/conversations` (one small request
 * for all, skipped while the tab is hidden). A row that did not change keeps its object, so only
 * changed rows render again.
 */
export class ConversationListStore {
  readonly items = signal<readonly ConversationSummary[]>([]);
  readonly loaded = signal(false);
  readonly problem = signal<string | null>(null);
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = true;

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    void this.refresh();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  async refresh(): Promise<void> {
    clearTimeout(this.#timer);
    try {
      if (!document.hidden || !this.loaded.value) {
        const { items } = await api<{ items: ConversationSummary[] }>('GET', '/api/troupe/conversations');
        this.#apply(items);
        this.problem.value = null;
      }
    } catch (error) {
      this.problem.value = error instanceof Error ? error.message : String(error);
    }
    if (!this.#stopped) this.#timer = setTimeout(() => void this.refresh(), POLL_MS);
  }

  #apply(fresh: ConversationSummary[]): void {
    const previous = new Map(this.items.value.map((row) => [row.id, row]));
    let changed = fresh.length !== previous.size;
    const next = fresh.map((row) => {
      const old = previous.get(row.id);
      if (old && sameRow(old, row)) return old;
      changed = true;
      return row;
    });
    if (changed || !this.loaded.value) this.items.value = next;
    this.loaded.value = true;
  }
}
