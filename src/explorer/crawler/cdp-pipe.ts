/**
 * A minimal Chrome DevTools Protocol client over `--remote-debugging-pipe` (fd 3 = commands to the browser,
 * fd 4 = replies and events, messages NUL-terminated JSON). No WebSocket and no npm dependency: the crawler
 * needs raw CDP anyway (request initiators, redirect responses), which this gives directly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { QuarryError } from '../../core/errors.js';

export type CdpEvent = { method: string; params: Record<string, unknown>; sessionId?: string };

export interface CdpBrowser {
  send<T = Record<string, unknown>>(method: string, params?: Record<string, unknown>, sessionId?: string): Promise<T>;
  on(listener: (e: CdpEvent) => void): () => void;
  close(): Promise<void>;
  readonly pid: number | undefined;
}

export interface LaunchOptions {
  /** Default `/usr/bin/chromium` (Debian), or env QUARRY_CHROMIUM. */
  readonly executable?: string;
  /** Extra Chromium flags (the crawler adds `--host-resolver-rules`). */
  readonly args?: readonly string[];
  readonly commandTimeoutMs?: number;
}

export const defaultChromium = () => process.env['QUARRY_CHROMIUM'] ?? '/usr/bin/chromium';

export async function launchChromium(opts: LaunchOptions = {}): Promise<CdpBrowser> {
  const exe = opts.executable ?? defaultChromium();
  if (!fs.existsSync(exe)) {
    throw new QuarryError('explorer/crawl-failed', `Chromium not found at ${exe}`, {
      hints: ['install Debian\'s chromium (`apt-get install -y chromium`) or set QUARRY_CHROMIUM'],
    });
  }
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quarry-crawl-'));
  const args = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--no-first-run', '--no-default-browser-check', '--disable-sync', '--disable-extensions', '--mute-audio',
    '--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,Translate,OptimizationHints,MediaRouter',
    `--user-data-dir=${userDir}`, '--remote-debugging-pipe', ...(opts.args ?? []), 'about:blank',
  ];
  const child: ChildProcess = spawn(exe, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString();
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; method: string }>();
  const listeners = new Set<(e: CdpEvent) => void>();
  let buf = '';
  let exited = false;
  fromBrowser.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    let i: number;
    while ((i = buf.indexOf('\0')) >= 0) {
      const msg = JSON.parse(buf.slice(0, i)) as { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: Record<string, unknown>; sessionId?: string };
      buf = buf.slice(i + 1);
      if (msg.id !== undefined) {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (!p) continue;
        if (msg.error) p.reject(new QuarryError('explorer/crawl-failed', `CDP ${p.method}: ${msg.error.message}`));
        else p.resolve(msg.result);
      } else if (msg.method) {
        const e: CdpEvent = { method: msg.method, params: msg.params ?? {}, ...(msg.sessionId ? { sessionId: msg.sessionId } : {}) };
        for (const l of listeners) l(e);
      }
    }
  });
  const onExit = () => {
    exited = true;
    for (const p of pending.values()) p.reject(new QuarryError('explorer/crawl-failed', `Chromium exited: ${stderr.slice(-500)}`));
    pending.clear();
  };
  child.on('exit', onExit);
  const timeout = opts.commandTimeoutMs ?? 30_000;
  const browser: CdpBrowser = {
    pid: child.pid,
    send(method, params = {}, sessionId) {
      if (exited) return Promise.reject(new QuarryError('explorer/crawl-failed', `Chromium is not running: ${stderr.slice(-500)}`));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new QuarryError('explorer/crawl-failed', `CDP ${method} timed out after ${timeout} ms`));
        }, timeout);
        pending.set(id, {
          method,
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v as never);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        toBrowser.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
      });
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (!exited) {
        await browser.send('Browser.close').catch(() => undefined);
        await new Promise<void>((r) => {
          const t = setTimeout(() => {
            child.kill('SIGKILL');
            r();
          }, 3000);
          child.once('exit', () => {
            clearTimeout(t);
            r();
          });
          if (exited) {
            clearTimeout(t);
            r();
          }
        });
      }
      fs.rmSync(userDir, { recursive: true, force: true });
    },
  };
  // Fail fast when the binary cannot start.
  await browser.send('Browser.getVersion');
  return browser;
}
