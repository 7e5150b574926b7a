/**
 * Per-principal hunting quota, like Defender's: each caller (API token or user) has a budget of query
 * time per fixed cycle (default 5 minutes per 15-minute cycle); once used up, hunting requests are
 * refused with 429 and Retry-After until the next cycle. DuckDB does not report CPU time per statement,
 * so the wall-clock time of compile + execute stands in for CPU. An optional calls-per-minute cap exists
 * too (off by default). In memory: a restart resets the counters.
 */
import { QuarryError } from '../core/errors.js';

export interface QuotaOptions {
  readonly cycleMs: number;
  /** Query time allowed per cycle and principal, ms. */
  readonly budgetMs: number;
  /** Calls allowed per minute and principal; 0 = unlimited. */
  readonly callsPerMinute: number;
}

export const defaultQuota: QuotaOptions = { cycleMs: 15 * 60_000, budgetMs: 5 * 60_000, callsPerMinute: 0 };

interface Usage {
  cycle: number;
  usedMs: number;
  minute: number;
  calls: number;
}

export class HuntQuota {
  private readonly usage = new Map<string, Usage>();

  constructor(readonly opts: QuotaOptions = defaultQuota) {}

  private get(key: string, now: number): Usage {
    const cycle = Math.floor(now / this.opts.cycleMs);
    const minute = Math.floor(now / 60_000);
    let u = this.usage.get(key);
    if (!u || u.cycle !== cycle) {
      u = { cycle, usedMs: 0, minute, calls: 0 };
      this.usage.set(key, u);
    }
    if (u.minute !== minute) {
      u.minute = minute;
      u.calls = 0;
    }
    return u;
  }

  /** Admits one call or throws `hunt/quota-exceeded` with `details.retryAfterSeconds`. */
  admit(key: string, now = Date.now()): void {
    const u = this.get(key, now);
    if (u.usedMs >= this.opts.budgetMs) {
      const retryAfterSeconds = Math.max(1, Math.ceil(((u.cycle + 1) * this.opts.cycleMs - now) / 1000));
      throw new QuarryError('hunt/quota-exceeded', `the hunting quota of ${Math.round(this.opts.budgetMs / 1000)} s query time per ${Math.round(this.opts.cycleMs / 60_000)} min is used up; retry in ${retryAfterSeconds} s`, {
        details: { retryAfterSeconds, usedMs: Math.round(u.usedMs), budgetMs: this.opts.budgetMs },
        hints: ['narrow the query (time filter, fewer tables) so it uses less time'],
      });
    }
    if (this.opts.callsPerMinute > 0 && u.calls >= this.opts.callsPerMinute) {
      const retryAfterSeconds = Math.max(1, Math.ceil(((u.minute + 1) * 60_000 - now) / 1000));
      throw new QuarryError('hunt/quota-exceeded', `more than ${this.opts.callsPerMinute} hunting calls this minute; retry in ${retryAfterSeconds} s`, {
        details: { retryAfterSeconds },
      });
    }
    u.calls++;
  }

  /** Charges `ms` of query time to `key`. */
  charge(key: string, ms: number, now = Date.now()): void {
    this.get(key, now).usedMs += ms;
  }

  used(key: string, now = Date.now()): { usedMs: number; budgetMs: number } {
    return { usedMs: this.get(key, now).usedMs, budgetMs: this.opts.budgetMs };
  }
}
