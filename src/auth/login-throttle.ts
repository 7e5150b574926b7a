/**
 * Login rate limiting, in memory: failures are counted per user name and per client address over a sliding
 * window; past the limit further attempts are refused (429 with Retry-After) until the window frees up,
 * whatever the password. A success clears the user name's count.
 */
import { QuarryError } from '../core/errors.js';

export interface ThrottleOptions {
  readonly windowMs: number;
  readonly maxPerUser: number;
  readonly maxPerAddress: number;
}

export const defaultThrottle: ThrottleOptions = { windowMs: 15 * 60_000, maxPerUser: 5, maxPerAddress: 30 };

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly opts: ThrottleOptions = defaultThrottle) {}

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => t > now - this.opts.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Throws `auth/login-throttled` (with `details.retryAfterSeconds`) when either key is over its limit. */
  check(username: string, address: string, now = Date.now()): void {
    const checks: [string, number][] = [[`u:${username.toLowerCase()}`, this.opts.maxPerUser], [`a:${address}`, this.opts.maxPerAddress]];
    for (const [key, max] of checks) {
      const list = this.recent(key, now);
      if (list.length >= max) {
        const retryAfterSeconds = Math.max(1, Math.ceil((list[list.length - max]! + this.opts.windowMs - now) / 1000));
        throw new QuarryError('auth/login-throttled', `too many failed logins; try again in ${retryAfterSeconds} s`, { details: { retryAfterSeconds } });
      }
    }
  }

  fail(username: string, address: string, now = Date.now()): void {
    for (const key of [`u:${username.toLowerCase()}`, `a:${address}`]) this.failures.set(key, [...this.recent(key, now), now]);
    // Bound memory under a flood of distinct names.
    if (this.failures.size > 100_000) this.failures.clear();
  }

  succeed(username: string): void {
    this.failures.delete(`u:${username.toLowerCase()}`);
  }
}
