import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

export function tempDir(prefix = 'troupe-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeTasks(dir: string, count: number, extraLines: string[] = []): string {
  const lines = Array.from({ length: count }, (_, i) => JSON.stringify({ id: `task-${i + 1}`, prompt: `Do thing number ${i + 1}`, metadata: { n: i + 1 } }));
  const path = join(dir, 'tasks.jsonl');
  writeFileSync(path, [...lines, ...extraLines].join('\n') + '\n');
  return path;
}

export function readLines(path: string): any[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line)];
      } catch {
        return [];
      }
    });
}

/** The CLI as a child process (env without LLM_API_KEY unless given). */
export function spawnCli(args: string[], env: Record<string, string | undefined> = {}) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, TROUPE_LOG_LEVEL: 'silent', ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
  if (!('LLM_API_KEY' in env)) delete childEnv.LLM_API_KEY;
  delete childEnv.LLM_BASE_URL;
  const child = spawn(process.execPath, [BIN, ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done, output: () => ({ stdout, stderr }) };
}
