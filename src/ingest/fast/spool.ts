/**
 * Splits an NDJSON byte stream into groups of whole batches and spools each group to a file DuckDB reads with
 * `read_csv` as a two-column reader (`k`, U+0001, the record), without ever making JS strings of the lines
 * that go through SQL. The record's index `k` in the line lets DuckDB read the files in parallel (and several
 * groups' files in one scan) and still tell every record by its index.
 *
 * Lines are numbered and skipped exactly as `readLines` + `readNdjson` do (LF or CRLF, blank lines are not
 * records, 1-based line numbers, byte offsets in the decompressed input), and each batch is hashed exactly as
 * `pipeline.ts` hashes it (seed, starting offset, then each record's text + LF), so batch ids are the JS
 * path's own. Runs of plain lines are hashed as one slice (the bytes of `line\n…` are what the JS path hashes
 * line by line), so the JS cost is a memchr scan, a SHA-256, and a copy per line with its index in front.
 *
 * Spool line `k U+0001 text` is record `k` of the group. A record is written verbatim when `read_csv` reads it back
 * unchanged: it starts with `{` (anything else is not a JSON object, or has leading whitespace / a BOM, which
 * SQL would not take anyway), is valid UTF-8, has no CR or U+0001 (the reader's delimiter) and is not huge.
 * Any other record is spooled as a placeholder that SQL rejects, with its text kept here for the JS validator.
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import path from 'node:path';

/** Longest line spooled verbatim (DuckDB's CSV reader has a line-size limit of its own). */
const MAX_SPOOL_LINE = 1 << 20;
const PLACEHOLDER = Buffer.from('x\n');
/** Bytes of the reused output buffer (records are copied into it; a longer record is written directly). */
const OUT_BUFFER = 1 << 22;
const NL = Buffer.from('\n');

export interface SpoolBatch {
  /** Index of the batch in the whole input (for client batch ids `<id>#<n>`). */
  readonly index: number;
  /** First record of the batch within its group. */
  readonly start: number;
  count: number;
  readonly hash: Hash;
}

export interface SpoolGroup {
  readonly file: string;
  count: number;
  readonly batches: SpoolBatch[];
  /** Per record: 1-based line and byte offset (for quarantine). */
  readonly lines: number[];
  readonly offsets: number[];
  /** Records spooled as placeholders, with their text. */
  readonly held: Map<number, string>;
}

export interface SpoolOptions {
  readonly dir: string;
  /** Hash seed of the run (`<format>\n<table>\n`). */
  readonly seed: string;
  readonly batchRows: number;
  /** Records per group (a multiple of batchRows, or Infinity). */
  readonly groupRows: number;
}

let spoolSeq = 0;

/** Yields spooled groups; the consumer removes each group's file when done with it. */
export async function* spoolGroups(src: AsyncIterable<Buffer>, opts: SpoolOptions): AsyncGenerator<SpoolGroup> {
  fs.mkdirSync(opts.dir, { recursive: true });
  sweepStaleSpool(opts.dir);
  let group: SpoolGroup | null = null;
  let fd = -1;
  let batch: SpoolBatch | null = null;
  let batchIndex = 0;
  let lineNo = 0;
  const ready: SpoolGroup[] = [];
  // Output goes through one reused buffer (no per-line allocations): records are copied in, flushed when full.
  const out = Buffer.allocUnsafe(OUT_BUFFER);
  let outPos = 0;

  const writeAll = (b: Buffer, len: number) => {
    let done = 0;
    while (done < len) done += fs.writeSync(fd, b, done, len - done);
  };
  const flushWrites = () => {
    if (outPos === 0) return;
    writeAll(out, outPos);
    outPos = 0;
  };
  const write = (b: Buffer) => {
    if (outPos + b.length > out.length) {
      flushWrites();
      if (b.length > out.length) {
        writeAll(b, b.length);
        return;
      }
    }
    b.copy(out, outPos);
    outPos += b.length;
  };
  /** `k` U+0001 in front of record k. */
  const writeIndex = (k: number) => {
    if (outPos + 24 > out.length) flushWrites();
    outPos += out.write(String(k), outPos, 'latin1');
    out[outPos++] = 1;
  };

  /** Starts a record at input offset `at` (in the current batch, opening group and batch as needed). */
  const record = (at: number): number => {
    if (group === null) {
      const file = path.join(opts.dir, `ingest-${process.pid}-${Date.now().toString(36)}-${spoolSeq++}.ndjson`);
      fd = fs.openSync(file, 'w');
      group = { file, count: 0, batches: [], lines: [], offsets: [], held: new Map() };
    }
    if (batch === null) {
      batch = { index: batchIndex++, start: group.count, count: 0, hash: createHash('sha256').update(opts.seed).update(`${at}\n`) };
      group.batches.push(batch);
    }
    group.lines.push(lineNo);
    group.offsets.push(at);
    batch.count++;
    return group.count++;
  };

  // A run: consecutive plain records (text + LF) of one batch in the current buffer, hashed and written as
  // one slice. Flushed before the batch ends, before any other record, and at the end of each buffer.
  let runBuf: Buffer | null = null;
  let runStart = -1;
  let runEnd = -1;

  /** One record that is not part of a run: `body` excludes the line break. */
  const single = (body: Buffer, at: number) => {
    const k = record(at);
    const utf8 = isUtf8(body);
    // The JS path hashes the decoded text: the same bytes when they are UTF-8.
    batch!.hash.update(utf8 ? body : body.toString('utf8')).update(NL);
    writeIndex(k);
    if (utf8 && body[0] === 0x7b && body.length <= MAX_SPOOL_LINE && body.indexOf(13) < 0 && body.indexOf(1) < 0) {
      write(body);
      write(NL);
    } else {
      write(PLACEHOLDER);
      group!.held.set(k, body.toString('utf8'));
    }
  };

  const flushRun = () => {
    if (runStart < 0) return;
    const buf = runBuf!;
    const from = runStart;
    const to = runEnd;
    runStart = runEnd = -1;
    const slice = buf.subarray(from, to);
    // The run's records are the last n recorded (all in the current batch).
    let n = 0;
    for (let p = from; p < to; p = buf.indexOf(10, p) + 1) n++;
    const g = group!;
    if (isUtf8(slice) && slice.indexOf(13) < 0 && slice.indexOf(1) < 0) {
      batch!.hash.update(slice);
      let k = g.count - n;
      for (let p = from; p < to; ) {
        const nl = buf.indexOf(10, p) + 1;
        writeIndex(k++);
        write(buf.subarray(p, nl));
        p = nl;
      }
      return;
    }
    // Rare: some line of the run may not read back unchanged. Its records are redone one by one, keeping their
    // lines and offsets.
    const firstK = g.count - n;
    const lines = g.lines.splice(firstK);
    const offsets = g.offsets.splice(firstK);
    g.count = firstK;
    batch!.count -= n;
    const savedLine = lineNo;
    let p = from;
    for (let i = 0; i < n; i++) {
      const nl = buf.indexOf(10, p);
      lineNo = lines[i]!;
      single(buf.subarray(p, nl), offsets[i]!);
      p = nl + 1;
    }
    lineNo = savedLine;
  };

  const endRecord = () => {
    if (batch!.count < opts.batchRows) return;
    flushRun();
    batch = null;
    if (group!.count < opts.groupRows) return;
    flushWrites();
    fs.closeSync(fd);
    fd = -1;
    ready.push(group!);
    group = null;
  };

  const isBlank = (buf: Buffer, start: number, end: number): boolean =>
    buf[start] !== 0x7b && buf.toString('utf8', start, end).trim() === '';

  /** Handles the complete lines of `buf` (input offset `base`); returns where the unfinished line starts. */
  const lines = (buf: Buffer, base: number): number => {
    runBuf = buf;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl < 0) break;
      lineNo++;
      const at = base + start;
      const cr = nl > start && buf[nl - 1] === 13;
      const end = cr ? nl - 1 : nl;
      if (isBlank(buf, start, end)) {
        flushRun();
      } else if (!cr && buf[start] === 0x7b && nl - start <= MAX_SPOOL_LINE) {
        if (runStart >= 0 && runEnd !== start) flushRun();
        record(at);
        if (runStart < 0) runStart = start;
        runEnd = nl + 1;
        endRecord();
      } else {
        flushRun();
        single(buf.subarray(start, end), at);
        endRecord();
      }
      start = nl + 1;
    }
    flushRun();
    return start;
  };

  try {
    // The unfinished line: its parts are joined only once its end arrives (a long line in small chunks).
    let carry: Buffer[] = [];
    let offset = 0; // input offset of the carry (or of the next chunk when there is none)
    for await (const chunk of src) {
      let buf = chunk;
      let base = offset;
      if (carry.length > 0) {
        // Only the line that straddles the chunks is copied.
        const nl = chunk.indexOf(10);
        if (nl < 0) {
          carry.push(chunk);
          continue;
        }
        const joined = Buffer.concat([...carry, chunk.subarray(0, nl + 1)]);
        lines(joined, offset);
        buf = chunk.subarray(nl + 1);
        base = offset + joined.length;
        carry = [];
      }
      const used = lines(buf, base);
      offset = base + used;
      if (used < buf.length) carry = [buf.subarray(used)];
      yield* ready.splice(0);
    }
    const last = carry.length > 0 ? Buffer.concat(carry) : null;
    if (last && last.length > 0) {
      lineNo++;
      const end = last[last.length - 1] === 13 ? last.length - 1 : last.length;
      if (!isBlank(last, 0, end)) {
        single(last.subarray(0, end), offset);
        endRecord();
      }
    }
    if (group !== null) {
      flushWrites();
      fs.closeSync(fd);
      fd = -1;
      ready.push(group);
      group = null;
    }
    yield* ready.splice(0);
  } finally {
    if (fd >= 0) {
      fs.closeSync(fd);
      if (group !== null) removeSpool((group as SpoolGroup).file);
    }
    // Groups read but never handed out (the consumer stopped): their files go too.
    for (const g of ready.splice(0)) removeSpool(g.file);
  }
}

const swept = new Set<string>();

/**
 * Removes spool files left by a process that died mid-ingest (kill -9): files of other process ids. One
 * process owns a data directory (its lock), so another pid's file is never in use. Once per directory.
 */
export function sweepStaleSpool(dir: string): void {
  if (swept.has(dir)) return;
  swept.add(dir);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const own = `ingest-${process.pid}-`;
  for (const name of names) if (/^ingest-\d+-.*\.ndjson$/.test(name) && !name.startsWith(own)) removeSpool(path.join(dir, name));
}

/** Removes a spooled group's file (best effort: a leftover is harmless and swept on the next run). */
export function removeSpool(file: string): void {
  fs.rm(file, { force: true }, () => undefined);
}
