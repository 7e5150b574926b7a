/**
 * Connections of one DuckDB instance: one writer (all writes are serialised through it) and a small pool
 * of readers for concurrent queries. Every connection runs the dialect prelude when it is created, since
 * the prelude defines per-connection temporary macros.
 */
import { DuckDBScalarFunction, VARCHAR, type DuckDBConnection, type DuckDBInstance } from '@duckdb/node-api';
import type { JsUdf } from './load-prelude.js';

/**
 * Registers a dialect JavaScript scalar function (text arguments and result) on a connection. DuckDB calls it
 * per vector on the JS thread; a NULL argument gives NULL, and a throwing function gives NULL for that row.
 */
export function registerJsUdf(conn: DuckDBConnection, u: JsUdf): void {
  if (u.returnType !== 'VARCHAR' || u.parameterTypes.some((t) => t !== 'VARCHAR')) {
    throw new Error(`JS scalar function ${u.name}: only VARCHAR arguments and results are supported`);
  }
  conn.registerScalarFunction(
    DuckDBScalarFunction.create({
      name: u.name,
      returnType: VARCHAR,
      parameterTypes: u.parameterTypes.map(() => VARCHAR),
      mainFunction: (_info, input, output) => {
        const cols = u.parameterTypes.map((_t, i) => input.getColumnVector(i));
        for (let r = 0; r < input.rowCount; r++) {
          const args = cols.map((c) => c.getItem(r));
          let v: string | null = null;
          if (args.every((a) => typeof a === 'string')) {
            try {
              v = u.fn(...(args as string[]));
            } catch {
              v = null;
            }
          }
          output.setItem(r, v);
        }
        output.flush();
      },
    }),
  );
}

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
    private readonly udfs: readonly JsUdf[] = [],
  ) {}

  async connect(): Promise<DuckDBConnection> {
    const conn = await this.instance.connect();
    for (const stmt of this.prelude) await conn.run(stmt);
    for (const u of this.udfs) registerJsUdf(conn, u);
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
