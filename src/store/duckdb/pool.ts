/**
 * Connections of one DuckDB instance: one writer (all writes are serialised through it) and a small pool
 * of readers for concurrent queries. Every connection runs the dialect prelude when it is created, since
 * the prelude defines per-connection temporary macros.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/** A FIFO mutex: `run` executes its callbacks one at a time in call order. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export class ConnectionPool {
  private readonly idle: DuckDBConnection[] = [];
  private readonly all: DuckDBConnection[] = [];
  private readonly waiters: ((c: DuckDBConnection) => void)[] = [];
  private creating = 0;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly prelude: readonly string[],
    private readonly max: number,
  ) {}

  async connect(): Promise<DuckDBConnection> {
    const conn = await this.instance.connect();
    for (const stmt of this.prelude) await conn.run(stmt);
    return conn;
  }

  async acquire(): Promise<DuckDBConnection> {
    const free = this.idle.pop();
    if (free) return free;
    if (this.all.length + this.creating < this.max) {
      this.creating++;
      try {
        const conn = await this.connect();
        this.all.push(conn);
        return conn;
      } finally {
        this.creating--;
      }
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(conn: DuckDBConnection): void {
    const next = this.waiters.shift();
    if (next) next(conn);
    else this.idle.push(conn);
  }

  /** Interrupts whatever runs on the pool's connections and disconnects them. */
  closeAll(): void {
    for (const c of this.all) {
      try {
        c.interrupt();
        c.disconnectSync();
      } catch {
        // already closed
      }
    }
    this.all.length = 0;
    this.idle.length = 0;
  }
}
