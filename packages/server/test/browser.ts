import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';

/** Debian's `chromium` package (`.ci/run` installs it when missing). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** On a machine without it the browser tests skip, except in CI, where they must run. */
export const browserMissing = !existsSync(CHROMIUM_PATH) && !process.env.CI;

/** The flags that keep a headless Chromium quiet on a machine without network. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  page: Page;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile (its own --user-data-dir) and one page. */
export async function launchBrowser(): Promise<TestBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'troupe-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 860 } });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Logs the page in through the dashboard's login form. */
export async function logIn(page: Page, serverUrl: string, key: string): Promise<void> {
  await page.goto(`${serverUrl}/`);
  await page.waitForURL(`${serverUrl}/login`);
  await page.fill('input[name=session_api_key]', key);
  await page.click('button[type=submit]');
  await page.waitForURL(`${serverUrl}/`);
}
