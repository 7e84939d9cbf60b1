import { eventV1ToV2, stateV1ToV2 } from './schema-v1-to-v2.js';

/**
 * Stored records are migrated on read, one version step at a time (`n` → `n + 1`), so every
 * conversation written by an older Troupe still opens. Each step is a pure function with its own
 * test; a step, once released, never changes. Records are never rewritten: a log may mix versions.
 */
const EVENT_STEPS: Readonly<Record<number, (event: unknown) => unknown>> = { 1: eventV1ToV2 };
const STATE_STEPS: Readonly<Record<number, (state: unknown) => unknown>> = { 1: stateV1ToV2 };

function migrate(steps: Readonly<Record<number, (record: unknown) => unknown>>, record: unknown, from: number, to: number): unknown {
  let migrated = record;
  for (let version = from; version < to; version++) {
    const step = steps[version];
    if (!step) throw new RangeError(`No migration from schema version ${version}.`);
    migrated = step(migrated);
  }
  return migrated;
}

/** An event stored by schema version `from`, as version `to` has it. */
export function migrateEvent(event: unknown, from: number, to: number): unknown {
  return migrate(EVENT_STEPS, event, from, to);
}

/** A `state.json` of schema version `from`, as version `to` has it. */
export function migrateState(state: unknown, from: number, to: number): unknown {
  return migrate(STATE_STEPS, state, from, to);
}
