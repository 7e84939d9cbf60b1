/**
 * The dashboard under load, measured in headless Chromium (Debian's `chromium`): a server with
 * 1,000 conversations (finished, idle, waiting for approval) plus one that streams events, then
 * the list's time to first render, its long tasks and frame gaps while it updates live, while it
 * scrolls, and the same on the streaming conversation's page. Prints the figures (and JSON with
 * --json); `--screenshots DIR` saves the pages; `--keep` keeps serving afterwards.
 *
 *   npx -y pnpm@10.34.9 --filter @troupe/examples dashboard-load [--count 1000] [--screenshots ../docs]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { mock, startMockServer } from '@troupe/core/testing';
import { startServer } from '@troupe/server';
import { chromium, type Page } from 'playwright-core';

// The failing tasks' errors are expected: keep the server quiet.
process.env.TROUPE_LOG_LEVEL ??= 'silent';
const { values } = parseArgs({ options: { count: { type: 'string', default: '1000' }, screenshots: { type: 'string' }, json: { type: 'boolean', default: false }, keep: { type: 'boolean', default: false } } });
const count = Number(values.count);
const KEY = 'dashboard-load';

const llm = await startMockServer();
const persistenceDir = mkdtempSync(join(tmpdir(), 'troupe-dashboard-load-'));
const server = await startServer({ host: '127.0.0.1', port: 0, persistenceDir, sessionApiKeys: [KEY] });
const api = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${server.url}${path}`, { method, headers: { 'x-session-api-key': KEY, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
};
const agent = (stream = false) => ({ llm: { model: 'openai/troupe-mock', base_url: llm.url, api_key: 'mock-model-key', input_cost_per_token: 3e-6, output_cost_per_token: 15e-6, stream }, tools: [{ name: 'terminal' }] });
const workspace = { working_dir: mkdtempSync(join(tmpdir(), 'troupe-dashboard-ws-')) };
const message = (text: string) => ({ role: 'user', content: [{ type: 'text', text }], run: true });

// ---------------------------------------------------------------- 1,000 conversations
const started = Date.now();
for (let next = 0; next < count; ) {
  const wave = Array.from({ length: Math.min(50, count - next) }, (_, offset) => next + offset);
  next += wave.length;
  await Promise.all(
    wave.map(async (index) => {
      const id = `task-${String(index).padStart(4, '0')}`;
      const kind = index % 10;
      const first = kind === 8 ? mock.toolCall('terminal', { command: 'ls' }) : mock.toolCall('think', { thought: `plan for task ${index}` });
      // Every tenth fails with a model error (a 400 is not retried), every tenth waits for approval, every tenth is never run.
      llm.setScript(id, kind === 7 ? [{ ...first, faults: [{ type: 'http_error', status: 400 }] }] : [first, mock.finish(`Task ${index} done.`)]);
      await api('POST', '/api/conversations', {
        agent: agent(),
        workspace,
        conversation_id: id,
        title: `Task ${index}: ${['refactor the parser', 'fix the flaky test', 'add a CLI flag', 'write the docs', 'bump dependencies'][index % 5]}`,
        ...(kind === 9 ? {} : { initial_message: message(`Do task ${index}`) }),
        confirmation_policy: { kind: kind === 8 ? 'AlwaysConfirm' : 'NeverConfirm' },
      });
    }),
  );
}
const settled = async () => ((await api('GET', '/api/troupe/conversations')) as { items: Array<{ execution_status: string }> }).items.filter((row) => row.execution_status === 'running').length === 0;
while (!(await settled())) await new Promise((wait) => setTimeout(wait, 500));
const setupSeconds = (Date.now() - started) / 1000;

// ---------------------------------------------------------------- one streaming conversation
const streamingId = 'streaming-agent';
const steps = Array.from({ length: 400 }, (_, step) => mock.toolCall('terminal', { command: `echo step ${step}` }, { text: `Step ${step}: running the next command.`, reasoning: `Step ${step - 1} printed what it should; next is step ${step}.`, latencyMs: 40 }));
llm.setScript(streamingId, [...steps, mock.finish('Streamed all steps.')]);
await api('POST', '/api/conversations', { agent: agent(true), workspace, conversation_id: streamingId, title: 'The one that streams', initial_message: message('Run 400 commands, one per step') });

const listTimings: number[] = [];
for (let run = 0; run < 5; run++) {
  const before = performance.now();
  await api('GET', '/api/troupe/conversations');
  listTimings.push(performance.now() - before);
}

// ---------------------------------------------------------------- the browser
const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'troupe-chromium-')), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1400, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = browser.pages()[0] ?? (await browser.newPage());
await page.goto(`${server.url}/login`);
await page.fill('input[name=session_api_key]', KEY);
await page.click('button[type=submit]');
await page.waitForURL(`${server.url}/`);

// In-page code is passed as text: the TypeScript runner's helpers do not exist in the page.
const START_WATCH = `(() => {
  const state = { longTasks: [], frames: [], last: performance.now(), stop: false };
  new PerformanceObserver((list) => list.getEntries().forEach((entry) => state.longTasks.push(entry.duration))).observe({ type: 'longtask' });
  const tick = (now) => { state.frames.push(now - state.last); state.last = now; if (!state.stop) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  window.__watch = state;
})()`;
const STOP_WATCH = `(() => {
  const state = window.__watch;
  state.stop = true;
  const frames = [...state.frames].sort((a, b) => a - b);
  const at = (q) => frames[Math.min(frames.length - 1, Math.floor(q * frames.length))] ?? 0;
  return { longTasks: state.longTasks.length, longestTaskMs: Math.round(Math.max(0, ...state.longTasks)), frames: frames.length, p50FrameMs: Math.round(at(0.5)), p99FrameMs: Math.round(at(0.99)), maxFrameMs: Math.round(at(1)) };
})()`;

interface Watched {
  /** How long it watched. */
  wallMs: number;
  /** Main-thread time of the page over the window (Chrome's Performance metrics), in ms: all tasks, script, layout, style. */
  busyMs: number;
  scriptMs: number;
  layoutMs: number;
  styleMs: number;
  longTasks: number;
  longestTaskMs: number;
  frames: number;
  p50FrameMs: number;
  p99FrameMs: number;
  maxFrameMs: number;
}

/** Long tasks (> 50 ms) and the gaps between animation frames over `ms`, measured in the page; `during` runs meanwhile. */
async function watch(target: Page, ms: number, during?: () => Promise<void>): Promise<Watched> {
  const cdp = await target.context().newCDPSession(target);
  await cdp.send('Performance.enable');
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((metric) => [metric.name, metric.value]));
  const before = await metrics();
  const started = performance.now();
  await target.evaluate(START_WATCH);
  await Promise.all([new Promise((wait) => setTimeout(wait, ms)), during?.()]);
  const watched = (await target.evaluate(STOP_WATCH)) as Omit<Watched, 'wallMs' | 'busyMs' | 'scriptMs' | 'layoutMs' | 'styleMs'>;
  const wallMs = Math.round(performance.now() - started);
  const after = await metrics();
  const spent = (name: string) => Math.round(((after[name] ?? 0) - (before[name] ?? 0)) * 1000);
  await cdp.detach();
  return { wallMs, busyMs: spent('TaskDuration'), scriptMs: spent('ScriptDuration'), layoutMs: spent('LayoutDuration'), styleMs: spent('RecalcStyleDuration'), ...watched };
}

const describe = (what: string, watched: Watched) =>
  `${what}, ${(watched.wallMs / 1000).toFixed(1)} s: page main thread busy ${watched.busyMs} ms = ${Math.round((100 * watched.busyMs) / watched.wallMs)} % (script ${watched.scriptMs}, layout ${watched.layoutMs}, style ${watched.styleMs}); ${watched.longTasks} long tasks (longest ${watched.longestTaskMs} ms); frame gaps p50 ${watched.p50FrameMs} / p99 ${watched.p99FrameMs} / max ${watched.maxFrameMs} ms`;

const total = count + 1;
// From the navigation's start (performance.now() = 0) of a fresh page load to the moment the list
// shows every conversation, seen by a MutationObserver in the page (no polling delay).
await page.addInitScript(`new MutationObserver((_, observer) => {
  const count = document.querySelector('[data-testid=list-count]');
  if (count && count.textContent === ${JSON.stringify(`${total} of ${total}`)}) { window.__listRenderedAt = performance.now(); observer.disconnect(); }
}).observe(document, { subtree: true, childList: true, characterData: true })`);
await page.goto('about:blank');
await page.goto(`${server.url}/#/`);
await page.waitForFunction('window.__listRenderedAt !== undefined');
const listFirstRenderMs = Math.round((await page.evaluate('window.__listRenderedAt')) as number);
const listRequest = (await page.evaluate(
  `(() => { const entry = performance.getEntriesByType('resource').find((entry) => entry.name.endsWith('/api/troupe/conversations')); return { startMs: Math.round(entry.startTime), endMs: Math.round(entry.responseEnd), bytes: entry.encodedBodySize }; })()`,
)) as { startMs: number; endMs: number; bytes: number };
const rowsInDom = await page.locator('[data-testid=conversation-row]').count();
const listLive = await watch(page, 10_000);
const listScroll = await watch(page, 5_000, async () => {
  for (let step = 0; step < 100; step++) {
    await page.mouse.move(700, 500);
    await page.mouse.wheel(0, 400);
    await page.waitForTimeout(40);
  }
});
if (values.screenshots) {
  await page.evaluate("document.querySelector('.virtual-viewport').scrollTo(0, 0)");
  await page.waitForTimeout(300);
  await page.screenshot({ path: resolve(values.screenshots, 'dashboard-list.png') });
}

await page.goto(`${server.url}/#/conversations/${streamingId}`);
await page.locator('[data-testid=connection]', { hasText: 'open' }).waitFor();
const eventsBefore = Number(await page.locator('[data-testid=event-log]').getAttribute('data-count'));
const conversationLive = await watch(page, 10_000);
const eventsAfter = Number(await page.locator('[data-testid=event-log]').getAttribute('data-count'));
if (values.screenshots) await page.screenshot({ path: resolve(values.screenshots, 'dashboard-conversation.png') });

const figures = {
  conversations: total,
  setupSeconds,
  serverListMs: { min: Math.round(Math.min(...listTimings)), max: Math.round(Math.max(...listTimings)) },
  listFirstRenderMs,
  listRequest,
  rowsInDom,
  listLive,
  listScroll,
  conversationPage: { ...conversationLive, eventsPerSecond: Math.round((eventsAfter - eventsBefore) / 10) },
};
if (values.json) console.log(JSON.stringify(figures, null, 2));
else {
  console.log(`${total} conversations (set up in ${setupSeconds.toFixed(1)} s), one streaming.`);
  console.log(`GET /api/troupe/conversations: ${figures.serverListMs.min}–${figures.serverListMs.max} ms`);
  console.log(
    `list: all ${total} rows counted ${listFirstRenderMs} ms after navigation (their request: sent at ${listRequest.startMs} ms, answered at ${listRequest.endMs} ms, ${Math.round(listRequest.bytes / 1024)} KB); ${rowsInDom} rows in the DOM`,
  );
  console.log(describe('list, live', listLive));
  console.log(describe('list, scrolled by 100 wheel turns', listScroll));
  console.log(describe(`streaming conversation (${figures.conversationPage.eventsPerSecond} events/s)`, conversationLive));
}

if (values.keep) {
  console.log(`Serving on ${server.url} (session key ${KEY}); Ctrl-C stops.`);
  await new Promise<void>((done) => process.once('SIGINT', () => done()));
}
await browser.close();
await server.close();
await llm.close();
