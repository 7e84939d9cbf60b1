import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PEER_RESULT_PREFIX } from './peer-runner.js';
import { type PeerResult, PeerResultSchema, type PeerTask, PeerTaskSchema } from './peer-task.js';

/** The compiled child entry, next to this module (the bench runs from dist). */
export const PEER_PROCESS_PATH = fileURLToPath(new URL('./peer-process.js', import.meta.url));

const STDERR_TAIL = 2_000;

/** Runs one runner in a process of its own and returns its checked result; a failing or silent child is an error. */
export function runPeer(task: PeerTask, options: { timeoutMs: number; entry?: string }): Promise<PeerResult> {
  const valid = PeerTaskSchema.parse(task);
  const child = spawn(process.execPath, [options.entry ?? PEER_PROCESS_PATH, JSON.stringify(valid)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`Could not start the ${task.runner} runner process: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((candidate) => candidate.startsWith(PEER_RESULT_PREFIX));
      const why = stderr.trim().slice(-STDERR_TAIL) || '(no stderr)';
      if (code !== 0 || line === undefined) {
        const ended = signal === 'SIGKILL' ? `was killed after ${options.timeoutMs} ms` : `exited with ${signal ?? `code ${code}`}`;
        return reject(new Error(`The ${task.runner} runner (${task.conversations} conversations) ${ended} without a result: ${why}`));
      }
      const parsed = PeerResultSchema.safeParse(JSON.parse(line.slice(PEER_RESULT_PREFIX.length)));
      if (!parsed.success) return reject(new Error(`The ${task.runner} runner printed a malformed result: ${parsed.error.message}`));
      resolve(parsed.data);
    });
  });
}
