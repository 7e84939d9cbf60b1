import { reviveError, serializeError } from '@troupe/core';
import { transferHandlers } from 'comlink';

let installed = false;

/**
 * Errors thrown by an actor reach its caller as the same typed class with the same fields
 * (`LLMError.details`, `PersistenceError.file`): comlink's own handler keeps only name, message and
 * stack. Installed in every thread that speaks comlink with an actor (both ends import this).
 */
export function installErrorTransfer(): void {
  if (installed) return;
  installed = true;
  const original = transferHandlers.get('throw')!;
  transferHandlers.set('throw', {
    canHandle: original.canHandle,
    serialize({ value }: { value: unknown }) {
      return [value instanceof Error ? { isError: true, value: serializeError(value) } : { isError: false, value }, []];
    },
    deserialize(serialized: { isError: boolean; value: unknown }) {
      throw serialized.isError ? reviveError(serialized.value as ReturnType<typeof serializeError>) : serialized.value;
    },
  } as typeof original);
}
