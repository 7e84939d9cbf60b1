import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock, type MockServer } from '@troupe/core/testing';
import type { Page } from 'playwright-core';
import { browserMissing, launchBrowser, logIn, type TestBrowser } from './browser.js';
import { tempDir, type TestServer, userMessage, useTestServer, wireAgent } from './helpers.js';

const KEY = 'dashboard-test-key';
let llm: MockServer;
let server: TestServer;
let browser: TestBrowser;
let page: Page;

useTestServer({ apiKey: KEY, sessionApiKeys: [KEY] }, (context) => {
  ({ llm, server } = context);
});

const status = () => page.locator('[data-testid=conversation-status] .status').getAttribute('data-status');
const eventCard = (kind: string, text: string) => page.locator(`[data-testid=event][data-kind=${kind}]`, { hasText: text });
const open = async (id: string) => {
  await page.goto(`${server.url}/#/conversations/${id}`);
  await page.locator('[data-testid=connection]', { hasText: 'open' }).waitFor();
};

describe.skipIf(browserMissing)('the dashboard in a real browser', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    page = browser.page;
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('sends a browser without a session to the login form; the session key logs it in', async () => {
    const denied = await fetch(`${server.url}/api/troupe/conversations`);
    expect(denied.status).toBe(401);
    await logIn(page, server.url, KEY);
    await page.locator('[data-testid=conversation-list]').waitFor();
    const cookies = await page.context().cookies();
    expect(cookies.find((cookie) => cookie.name === 'troupe_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  });

  it('creates a conversation from the form and shows its events as they arrive', async () => {
    llm.setDefaultScript([
      mock.toolCall('terminal', { command: 'echo hello-dashboard' }, { reasoning: 'First I run echo.', latencyMs: 200 }),
      mock.finish('All done.', { latencyMs: 1_500 }),
    ]);
    await page.click('[data-testid=new-conversation-link]');
    await page.fill('input[name=title]', 'Browser-made');
    await page.fill('input[name=model]', 'openai/mock-model');
    await page.fill('input[name=base_url]', llm.url);
    await page.fill('input[name=api_key]', 'test-key');
    await page.fill('input[name=working_dir]', tempDir());
    await page.fill('textarea[name=message]', 'Say hello from the terminal');
    await page.click('[data-testid=create]');
    await page.waitForURL(/#\/conversations\//);

    await eventCard('MessageEvent', 'Say hello from the terminal').waitFor();
    const action = eventCard('ActionEvent', 'echo hello-dashboard');
    await action.waitFor();
    expect(await action.locator('[data-testid=action-args]').textContent()).toContain('command');
    expect(await action.locator('[data-testid=thinking]').textContent()).toContain('First I run echo.');
    await eventCard('ObservationEvent', 'hello-dashboard').waitFor();
    // The observation arrived while the run went on: events are live, not loaded at the end.
    expect(await status()).toBe('running');
    await eventCard('ActionEvent', 'All done.').waitFor();
    await expect.poll(status).toBe('finished');
    await page.locator('[data-testid=usage-row]', { hasText: 'agent' }).waitFor();
    expect(await page.locator('[data-testid=conversation-title]').textContent()).toBe('Browser-made');
  });

  it('sends a message while the agent runs, pauses it and runs it again', async () => {
    const id = 'dash-mid-run';
    // Enough slow steps that the pause lands before the end, however slow the browser is.
    const steps = 6;
    llm.setScript(id, [
      ...Array.from({ length: steps }, (_, index) => mock.toolCall('think', { thought: `step ${index + 1}` }, { latencyMs: 1_200 })),
      mock.finish('finished after the resume'),
    ]);
    await server.api('POST', '/api/conversations', { agent: wireAgent(llm), workspace: { working_dir: tempDir() }, conversation_id: id, initial_message: userMessage('Think in steps', true) });
    await open(id);
    await expect.poll(status).toBe('running');

    await page.fill('[data-testid=message-input]', 'a note sent mid-run');
    await page.click('[data-testid=send]');
    await eventCard('MessageEvent', 'a note sent mid-run').waitFor();
    // Admitted at the next step boundary: the next model request carries it.
    await expect.poll(() => llm.requestsFor(id).some((request) => JSON.stringify(request.body).includes('a note sent mid-run'))).toBe(true);

    await page.click('[data-testid=pause]');
    await expect.poll(status).toBe('paused');
    await eventCard('PauseEvent', 'Paused').waitFor();
    const callsWhenPaused = llm.requestsFor(id).length;
    expect(callsWhenPaused).toBeLessThan(steps + 1);

    await page.click('[data-testid=run]');
    await expect.poll(status).toBe('finished');
    await eventCard('ActionEvent', 'finished after the resume').waitFor();
    expect(llm.requestsFor(id).length).toBeGreaterThan(callsWhenPaused);
  });

  it('approves a pending action and rejects the next one', async () => {
    const id = 'dash-confirm';
    llm.setScript(id, [
      mock.toolCall('terminal', { command: 'echo approved-run', security_risk: 'LOW' }),
      mock.finish('ran it'),
      mock.toolCall('terminal', { command: 'echo never-run', security_risk: 'LOW' }),
      mock.finish('told no'),
    ]);
    await server.api('POST', '/api/conversations', {
      agent: wireAgent(llm, [{ name: 'terminal' }]),
      workspace: { working_dir: tempDir() },
      conversation_id: id,
      confirmation_policy: { kind: 'AlwaysConfirm' },
      initial_message: userMessage('Run echo', true),
    });
    await open(id);
    await expect.poll(status).toBe('waiting_for_confirmation');
    await page.click('[data-testid=approve]');
    await eventCard('ObservationEvent', 'approved-run').waitFor();
    await expect.poll(status).toBe('finished');

    await page.fill('[data-testid=message-input]', 'Once more');
    await page.click('[data-testid=send]');
    await expect.poll(status).toBe('waiting_for_confirmation');
    await page.click('[data-testid=reject]');
    await eventCard('UserRejectObservation', 'Rejected from the dashboard.').waitFor();
    expect(await eventCard('ObservationEvent', 'never-run').count()).toBe(0);
  });

  it('lists the conversations live, filtered and sorted', async () => {
    await page.goto(`${server.url}/#/`);
    const rows = page.locator('[data-testid=conversation-row]');
    await expect.poll(() => rows.count()).toBe(3);
    await server.api('POST', '/api/conversations', { agent: wireAgent(llm), workspace: { working_dir: tempDir() }, conversation_id: 'dash-arrives-live', title: 'Arrived while watching' });
    await page.locator('[data-testid=conversation-row][data-id=dash-arrives-live]').waitFor();

    await page.fill('[data-testid=list-filter]', 'confirm');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-id')).toBe('dash-confirm');
    await page.fill('[data-testid=list-filter]', '');
    await page.selectOption('[data-testid=status-filter]', 'finished');
    await expect.poll(() => rows.count()).toBe(2);
    const ids = async () => (await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-id')))).sort();
    expect((await ids()).includes('dash-mid-run')).toBe(true);
    await page.selectOption('[data-testid=status-filter]', 'all');
    await page.selectOption('[data-testid=sort-key]', 'title');
    await page.click('button[aria-label="Sort direction"]');
    await expect.poll(() => rows.first().getAttribute('data-id')).toBe('dash-arrives-live');
  });
});
