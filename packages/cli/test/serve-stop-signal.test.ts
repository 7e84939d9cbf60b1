import { describe, expect, it } from 'vitest';
import { spawnCli, tempDir } from './helpers.js';

const ATTEMPTS = 8;

describe('troupe serve and SIGTERM', () => {
  it('a SIGTERM sent the moment the server announces itself stops it cleanly, every time', async () => {
    // The race this guards: the announcement written before the signal listener exists, so a
    // supervisor that signals on reading it killed the process unsaved (about 1 time in 5).
    const persistenceDir = tempDir('troupe-serve-stop-');
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const served = spawnCli(['serve', '--port', '0', '--threads', '1', '--persistence-dir', persistenceDir]);
      let signalled = false;
      served.child.stderr.on('data', () => {
        if (!signalled && /on http:\/\//.test(served.output().stderr)) {
          signalled = true;
          served.child.kill('SIGTERM');
        }
      });
      const ended = await served.done;
      expect({ attempt, code: ended.code, signal: ended.signal }).toEqual({ attempt, code: 0, signal: null });
      expect(ended.stderr).toContain('Stopping: pausing running conversations and saving them');
    }
  }, 120_000);
});
