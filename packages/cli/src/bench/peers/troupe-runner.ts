import { benchAgent, newSupervisor, runActors } from '../harness.js';
import type { PeerRunnerFactory } from './peer-runner.js';

/** Troupe: a Supervisor on `threads` worker threads, the scale scenario's agent and tool. */
export const createRunner: PeerRunnerFactory = async (task) => {
  const supervisor = newSupervisor(task.threads);
  const agent = benchAgent(task.baseUrl, [task.troupeTool]);
  return {
    async run(count, _idPrefix, clock) {
      // Created and ready before the clock starts, as in the scale scenario; the ids are the Supervisor's.
      const run = await runActors({ supervisor, agent, n: count, workspace: task.workspace, onStart: () => clock.start(), onEnd: () => clock.stop() });
      return run.conversations.map(({ id, status }) => ({ id, finished: status === 'finished', modelCalls: null }));
    },
    close: () => supervisor.close(),
  };
};
