import { type FileHandle, open } from 'node:fs/promises';
import { readFileIfExists } from './atomic-write.js';
import { PersistenceError, SchemaVersionError } from './errors.js';
import { type Event, EventSchema } from './events.js';
import { migrateEvent } from './schema-migrations.js';
import { SCHEMA_VERSION } from './state-file.js';

/** One line of `events.jsonl`: the schema version it was written with, the event's sequence number, the event. */
export interface EventLogRecord {
  v: number;
  seq: number;
  event: Event;
}

export interface LoadedEventLog {
  events: Event[];
  /** A last line cut short by a crash: dropped, and reported here. `validBytes` is the log's length without it. */
  tornLine?: { line: number; validBytes: number };
}

/**
 * Reads `events.jsonl`, each line migrated from the version it was written with. A torn last line
 * (a crash mid-append) is dropped and reported; any other bad line is a `PersistenceError` naming
 * the file and line, never a silently shorter history.
 */
export async function readEventLog(file: string): Promise<LoadedEventLog> {
  const text = await readFileIfExists(file);
  if (text === null) return { events: [] };
  const lines = text.split('\n');
  const endsCleanly = lines.at(-1) === '';
  if (endsCleanly) lines.pop();
  const events: Event[] = [];
  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    const isLast = index === lines.length - 1;
    const line = lines[index]!;
    let record: { v?: unknown; seq?: unknown; event?: unknown };
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      if (isLast && !endsCleanly) return { events, tornLine: { line: lineNumber, validBytes: Buffer.byteLength(text) - Buffer.byteLength(line) } };
      throw new PersistenceError(`${file} line ${lineNumber} is not valid JSON; the event log is corrupt. Restore it from a backup or truncate it before this line.`, file, lineNumber);
    }
    if (typeof record.v !== 'number' || !Number.isInteger(record.v) || record.v < 1 || record.v > SCHEMA_VERSION) {
      throw new SchemaVersionError(
        `${file} line ${lineNumber} has schema version ${String(record.v)}, but this Troupe reads versions 1 to ${SCHEMA_VERSION}; upgrade Troupe to open this conversation.`,
        file,
        lineNumber,
      );
    }
    if (record.seq !== events.length) {
      throw new PersistenceError(`${file} line ${lineNumber} has sequence number ${String(record.seq)}, expected ${events.length}; the event log is corrupt.`, file, lineNumber);
    }
    const parsed = EventSchema.safeParse(migrateEvent(record.event, record.v, SCHEMA_VERSION));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new PersistenceError(`${file} line ${lineNumber} is not a valid event: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}.`, file, lineNumber);
    }
    events.push(parsed.data);
  }
  return { events };
}

/** Appends events to `events.jsonl`: buffered, written in one call per flush, fsynced on request. */
export class EventLogWriter {
  #handle: FileHandle | null = null;
  #buffer: string[] = [];

  private constructor(readonly file: string) {}

  /**
   * Opens the log for appending. `validLength` cuts off a torn tail first, so that the next
   * record starts on a line of its own.
   */
  static async open(file: string, validLength?: number): Promise<EventLogWriter> {
    const writer = new EventLogWriter(file);
    const handle = await open(file, 'a+');
    if (validLength !== undefined) {
      const { size } = await handle.stat();
      if (size > validLength) await handle.truncate(validLength);
    }
    writer.#handle = handle;
    return writer;
  }

  append(seq: number, event: Event): void {
    const record: EventLogRecord = { v: SCHEMA_VERSION, seq, event };
    this.#buffer.push(JSON.stringify(record));
  }

  get hasPending(): boolean {
    return this.#buffer.length > 0;
  }

  async flush(sync: boolean): Promise<void> {
    const handle = this.#handle;
    if (!handle) throw new Error(`Event log ${this.file} is closed.`);
    if (this.#buffer.length > 0) {
      const text = this.#buffer.join('\n') + '\n';
      this.#buffer = [];
      await handle.write(text);
    }
    if (sync) await handle.datasync();
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = null;
    await handle?.close();
  }
}
