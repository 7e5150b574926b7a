/**
 * Runs the real `quarry` binary (`node bin/quarry.js …`) in child processes. `ensureBuilt` compiles `src/`
 * once when `dist/` is missing or older than the sources (type errors elsewhere do not stop tsc emitting).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(repoRoot, 'bin/quarry.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

export function ensureBuilt(): void {
  const marker = path.join(repoRoot, 'dist/cli/commands/serve.js');
  // Any source file can change what the built binary does (routes, ingest, detection …): watch all of src/.
  const srcNewest = newestMtime(path.join(repoRoot, 'src'));
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= srcNewest) return;
  // Several test files may get here at once: one builds, the others wait for its lock directory to go.
  const lock = path.join(os.tmpdir(), 'quarry-test-build.lock');
  try {
    fs.mkdirSync(lock);
  } catch {
    const until = Date.now() + 180_000;
    while (fs.existsSync(lock) && Date.now() < until) spawnSync('sleep', ['0.2']);
    return;
  }
  try {
    spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'ignore' });
    // tsc leaves an old file untouched when its output is unchanged: mark the build fresh.
    if (fs.existsSync(marker)) fs.utimesSync(marker, new Date(), new Date());
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
  if (!fs.existsSync(marker)) throw new Error('npm run build did not produce dist/cli/commands/serve.js');
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const childEnv = (extra: Record<string, string> = {}) => {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), QUARRY_LOG_LEVEL: 'warn', ...extra };
  delete env.QUARRY_DATA;
  delete env.QUARRY_PORT;
  return env;
};

/** Runs `quarry args…` to completion. */
export function runQuarry(args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env: childEnv(extraEnv) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly pid: number;
  stderr(): string;
  /** Resolves with the exit code (or the signal name when killed by one). */
  readonly exited: Promise<number | string | null>;
}

/** Starts `quarry serve --port 0 …` and resolves once it printed its URL. */
export function startServe(dataDir: string, extraArgs: string[] = [], timeoutMs = 30_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, [bin, 'serve', '--data', dataDir, '--port', '0', ...extraArgs], { cwd: repoRoot, env: childEnv() });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | string | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`quarry serve printed no URL within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /Quarry listening on (http:\/\/\S+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, pid: child.pid!, stderr: () => stderr, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`quarry serve exited (${code}) before listening; stderr: ${stderr}`));
    });
  });
}

/** Parses the one-line JSON error a failing command writes to stderr (the last JSON line). */
export function stderrError(stderr: string): { code: string; message: string; details?: Record<string, unknown> } {
  const line = stderr.trim().split('\n').reverse().find((l) => l.startsWith('{"code"'));
  if (!line) throw new Error(`no JSON error on stderr: ${stderr}`);
  return JSON.parse(line) as { code: string; message: string; details?: Record<string, unknown> };
}
