/**
 * Ownership of a data directory. DuckDB's own file lock is the authority (it is released by the OS when a
 * process dies, so a crash never leaves a stale lock); `quarry.pid` next to the database only adds who holds
 * it to the error message another process sees.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QuarryError } from '../../core/errors.js';

export const DB_FILE = 'quarry.duckdb';
export const PID_FILE = 'quarry.pid';

interface PidInfo {
  readonly pid: number;
  readonly host?: string;
  readonly startedAt?: string;
  readonly command?: string;
}

export function writePidFile(dataDir: string): void {
  const info: PidInfo = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), command: process.argv.slice(1, 4).join(' ') };
  fs.writeFileSync(path.join(dataDir, PID_FILE), JSON.stringify(info) + '\n');
}

export function removePidFile(dataDir: string): void {
  try {
    const file = path.join(dataDir, PID_FILE);
    const info = JSON.parse(fs.readFileSync(file, 'utf8')) as PidInfo;
    if (info.pid === process.pid) fs.rmSync(file, { force: true });
  } catch {
    // nothing to remove
  }
}

function readPidFile(dataDir: string): PidInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, PID_FILE), 'utf8')) as PidInfo;
  } catch {
    return undefined;
  }
}

export function isLockError(e: unknown): boolean {
  const m = e instanceof Error ? e.message : String(e);
  return /Could not set lock on file|Conflicting lock is held/i.test(m);
}

/** The `store/locked` error for `dataDir`, naming the holder's pid (from DuckDB's message or our pid file). */
export function lockedError(dataDir: string, cause: unknown): QuarryError {
  const m = cause instanceof Error ? cause.message : String(cause);
  const fromDuck = /PID (\d+)/.exec(m)?.[1];
  const info = readPidFile(dataDir);
  const pid = fromDuck ? Number(fromDuck) : info?.pid;
  const who = pid !== undefined ? `process ${pid}${info && info.pid === pid && info.command ? ` (${info.command})` : ''}` : 'another process';
  return new QuarryError('store/locked', `the data directory ${dataDir} is in use by ${who}; only one Quarry process may own it`, {
    cause,
    hints: [
      'stop the other process, or point this one at a different directory with --data DIR',
      'while a server runs, use its HTTP API instead of opening the store directly',
    ],
    details: { dataDir, ...(pid !== undefined ? { pid } : {}) },
  });
}
