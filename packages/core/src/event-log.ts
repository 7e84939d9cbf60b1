import { writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { type SharedFileHandles, appendHandles } from './shared-file-handles.js';
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
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      if (isLast && !endsCleanly) return { events, tornLine: { line: lineNumber, validBytes: Buffer.byteLength(text) - Buffer.byteLength(line) } };
      throw new PersistenceError(`${file} line ${lineNumber} is not valid JSON; the event log is corrupt. Restore it from a backup or truncate it before this line.`, file, lineNumber);
    }
    events.push(parseEventLogRecord(record, events.length, { source: file, position: 'line', index: lineNumber }));
  }
  return { events };
}

/** Where a stored record sits, for error messages: `source` (a file, a Redis key), `position` (`line`, `entry`) and its 1-based number. */
export interface RecordPlace {
  source: string;
  position: string;
  index: number;
}

/** The stored form of one event, whatever holds it (a line of `events.jsonl`, an entry of a Redis stream). */
export function eventLogRecord(seq: number, event: Event): EventLogRecord {
  return { v: SCHEMA_VERSION, seq, event };
}

/**
 * Reads one stored record (already parsed from JSON) into its event: the one read path of a
 * record, whatever storage held it. An unknown schema version is a `SchemaVersionError`, a wrong
 * sequence number or an invalid event a `PersistenceError`, each naming where the record sits.
 */
export function parseEventLogRecord(raw: unknown, expectedSeq: number, place: RecordPlace): Event {
  const record = (typeof raw === 'object' && raw !== null ? raw : {}) as { v?: unknown; seq?: unknown; event?: unknown };
  const at = `${place.source} ${place.position} ${place.index}`;
  if (typeof record.v !== 'number' || !Number.isInteger(record.v) || record.v < 1 || record.v > SCHEMA_VERSION) {
    throw new SchemaVersionError(
      `${at} has schema version ${String(record.v)}, but this Troupe reads versions 1 to ${SCHEMA_VERSION}; upgrade Troupe to open this conversation.`,
      place.source,
      place.index,
    );
  }
  if (record.seq !== expectedSeq) {
    throw new PersistenceError(`${at} has sequence number ${String(record.seq)}, expected ${expectedSeq}; the event log is corrupt.`, place.source, place.index);
  }
  const parsed = EventSchema.safeParse(migrateEvent(record.event, record.v, SCHEMA_VERSION));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PersistenceError(`${at} is not a valid event: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}.`, place.source, place.index);
  }
  return parsed.data;
}

/**
 * Appends events to `events.jsonl`: buffered, written in one call per flush, fsynced on request.
 * The file is written through the thread's shared `SharedFileHandles`, so an open conversation holds
 * no file descriptor of its own: thousands of them stay far below the process's descriptor limit.
 */
export class EventLogWriter {
  #closed = false;
  #buffer: string[] = [];

  private constructor(
    readonly file: string,
    readonly handles: SharedFileHandles,
  ) {}

  /**
   * Creates the log if missing. `validLength` cuts off a torn tail first, so that the next
   * record starts on a line of its own.
   */
  static async open(file: string, validLength?: number, handles: SharedFileHandles = appendHandles): Promise<EventLogWriter> {
    const handle = await open(file, 'a+');
    try {
      if (validLength !== undefined) {
        const { size } = await handle.stat();
        if (size > validLength) await handle.truncate(validLength);
      }
    } finally {
      await handle.close();
    }
    return new EventLogWriter(file, handles);
  }

  append(seq: number, event: Event): void {
    this.#buffer.push(JSON.stringify(eventLogRecord(seq, event)));
  }

  get hasPending(): boolean {
    return this.#buffer.length > 0;
  }

  async flush(sync: boolean): Promise<void> {
    if (this.#closed) throw new Error(`Event log ${this.file} is closed.`);
    if (this.#buffer.length === 0 && !sync) return;
    const text = this.#buffer.length > 0 ? this.#buffer.join('\n') + '\n' : '';
    this.#buffer = [];
    await this.handles.use(this.file, async (handle) => {
      // Into the page cache in microseconds: done at once, it costs the thread less than a trip through the thread pool.
      if (text) writeSync(handle.fd, text);
      if (sync) await handle.datasync();
    });
  }

  /** Later flushes fail; the shared handle of the file is closed. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.handles.release(this.file);
  }
}
