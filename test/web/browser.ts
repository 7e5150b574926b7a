/**
 * Helpers for the portal's browser tests: a real `quarry serve --demo` (the built binary, port 0, a temp
 * data dir) and Debian's Chromium driven by playwright-core. Screenshots go to `test-results/portal/`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = resolve(repoRoot, '../shared');
export const CHROMIUM = process.env.QUARRY_CHROMIUM ?? '/usr/bin/chromium';
export const resultsDir = join(repoRoot, 'test-results', 'portal');

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserSkipReason(): string | undefined {
  if (!existsSync(CHROMIUM)) return `Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (scripts/test.mjs does it when run as root)`;
  if (!existsSync(join(repoRoot, 'dist/cli/main.js'))) return 'Quarry is not built: run `npm run build` first';
  if (!existsSync(join(repoRoot, 'dist/web/index.html'))) return 'the portal is not built (dist/web): run `npm run build` first';
  return undefined;
}

export interface DemoServer {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

/** Starts `quarry serve --demo --port 0` and waits until the demo data has loaded. */
export async function startDemoServer(env: Record<string, string> = {}): Promise<DemoServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'quarry-portal-'));
  const child: ChildProcess = spawn(process.execPath, [join(repoRoot, 'bin/quarry.js'), 'serve', '--demo', '--host', '127.0.0.1', '--port', '0', '--data', dataDir], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  const deadline = Date.now() + 90_000;
  while (!/"demo data loaded"|demo data already loaded|serving without demo data|loading demo data failed/.test(out)) {
    if (child.exitCode !== null) throw new Error(`quarry serve exited early:\n${out}`);
    if (Date.now() > deadline) throw new Error(`quarry serve did not finish loading demo data in 90 s:\n${out.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = /Quarry listening on (http:\/\/\S+)/.exec(out)?.[1];
  const password = /password:\s+(\S+)/.exec(out)?.[1];
  if (!url || !password) throw new Error(`could not read the URL and demo password from:\n${out}`);
  return {
    url, username: 'demo-admin', password, output: () => out,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Chromium with a fresh profile directory (a persistent context, as playwright requires for one). */
export async function launchBrowser(): Promise<{ context: BrowserContext; userDataDir: string }> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'quarry-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return { context, userDataDir };
}

export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Page errors and console errors, collected so a test can assert the portal ran cleanly. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of [45]\d\d/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return errors;
}

export async function login(page: Page, server: DemoServer): Promise<void> {
  await page.goto(server.url + '/');
  await page.getByLabel('User name').fill(server.username);
  await page.getByLabel('Password').fill(server.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Threat analytics' }).waitFor();
}

/** Replaces the editor's text (Monaco) with `text`, pasted from the clipboard as a user would. */
export async function setEditorText(page: Page, text: string): Promise<void> {
  await page.locator('[data-testid="kql-editor"][data-state="ready"]').waitFor({ timeout: 30_000 });
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.locator('.monaco-editor textarea').evaluate((el, t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}
