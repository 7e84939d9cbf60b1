import { TroupeError } from '@troupe/core';

/** The worker thread hosting a conversation died (uncaught error, process.exit in a tool, out of memory). */
export class ActorCrashedError extends TroupeError {
  override name = 'ActorCrashedError';
}
