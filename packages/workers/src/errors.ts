import { TroupeError } from '@troupe/core';

/** The worker thread hosting a conversation died (uncaught error, process.exit in a tool, out of memory). */
export class ActorCrashedError extends TroupeError {
  override name = 'ActorCrashedError';
}

/** A tool thread stopped while a call ran there: it died, or a tool would not stop after an interrupt. */
export class ToolThreadError extends TroupeError {
  override name = 'ToolThreadError';
}
