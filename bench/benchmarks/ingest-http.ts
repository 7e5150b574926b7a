/**
 * ingest-http: the same NDJSON file as ingest-cli, POSTed to a real `quarry serve` process on 127.0.0.1 by
 * 8 concurrent senders (batches of 5,000 lines, one request each, bearer token), timed from the first request
 * to the last acknowledgement; against DuckDB's read_json of the same file (the ingest-cli baseline). HTTP bodies
 * take the DuckDB-native path by default (bodies waiting while a commit runs are committed together);
 * `QUARRY_INGEST_FAST=0` in the bench's environment (passed on to the server)
 * measures the JS pipeline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openQuarryStore } from '../../src/app/open-store.js';
import { createToken } from '../../src/auth/tokens.js';
import { createUser } from '../../src/auth/users.js';
import { readLines } from '../../src/ingest/input.js';
import type { Benchmark } from '../harness.js';
import { benchRows, ingestRuns, bin, builtReason, duckdbReadJson, ndjsonFile, repoRoot, TABLE } from './ingest-cli.js';

const SENDERS = 8;
const LINES_PER_REQUEST = 5_000;

interface State {
  readonly file: string;
  readonly rows: number;
  runs: number;
}

async function startServer(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bin, 'serve', '--data', dir, '--port', '0'], {
    cwd: repoRoot,
    env: { ...process.env, QUARRY_LOG_LEVEL: 'warn', QUARRY_BODY_LIMIT: String(64 * 2 ** 20) },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Quarry listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`quarry serve exited ${code} before listening`)));
  });
}

/** Reads the file into request bodies lazily: at most a few bodies are in memory at once. */
async function* bodies(file: string): AsyncGenerator<string> {
  let lines: string[] = [];
  for await (const l of readLines(fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>)) {
    lines.push(l.text);
    if (lines.length === LINES_PER_REQUEST) {
      yield lines.join('\n');
      lines = [];
    }
  }
  if (lines.length > 0) yield lines.join('\n');
}

const benchmark: Benchmark<State> = {
  name: 'ingest-http',
  runs: ingestRuns,
  description: `NDJSON of ${TABLE} POSTed to \`quarry serve\` by ${SENDERS} concurrent senders on 127.0.0.1 (${LINES_PER_REQUEST.toLocaleString('en-US')} lines per request) vs DuckDB read_json of the same file.`,
  unit: 'rows/s',
  available: async () => builtReason(),
  async setup(ctx) {
    const rows = benchRows(ctx);
    return { file: ndjsonFile(rows, ctx.log), rows, runs: 0 };
  },
  subject: {
    label: `HTTP, ${SENDERS} senders, ${process.env.QUARRY_INGEST_FAST === '0' ? 'JS path' : 'DuckDB-native path, combined commits'}`,
    async run(ctx, s) {
      const dir = path.join(ctx.workDir, `store-${s.runs++}`);
      const setup = await openQuarryStore(dir);
      let token: string;
      try {
        await createUser(setup, { username: 'bench', password: 'bench ingest password 2024!', role: 'analyst' });
        token = (await createToken(setup, { username: 'bench', name: 'bench' })).token;
      } finally {
        await setup.close();
      }
      const srv = await startServer(dir);
      try {
        const source = bodies(s.file);
        let accepted = 0;
        let retries = 0;
        // One shared reader; each sender pulls the next body (the async generator serialises next()).
        const sender = async () => {
          for (;;) {
            const next = await source.next();
            if (next.done) return;
            for (;;) {
              const res = await fetch(`${srv.url}/api/ingest/${TABLE}`, {
                method: 'POST',
                headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}` },
                body: next.value,
              });
              if (res.status === 429) {
                retries++;
                await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 100));
                continue;
              }
              if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${(await res.text()).slice(0, 500)}`);
              accepted += ((await res.json()) as { accepted: number }).accepted;
              break;
            }
          }
        };
        const t0 = performance.now();
        await Promise.all(Array.from({ length: SENDERS }, sender));
        const ms = performance.now() - t0;
        if (accepted !== s.rows) throw new Error(`server accepted ${accepted} of ${s.rows} rows`);
        if (retries > 0) ctx.log(`ingest-http: ${retries} requests were refused with 429 and retried`);
        return { ms, units: accepted };
      } finally {
        srv.child.kill('SIGTERM');
        await new Promise((r) => srv.child.once('exit', r));
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  baseline: {
    label: 'DuckDB read_json',
    run: (ctx, s) => duckdbReadJson(ctx.workDir, s.file, s.rows, String(s.runs++)),
  },
};

export default benchmark;
