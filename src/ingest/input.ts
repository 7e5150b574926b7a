/**
 * Byte inputs for the readers: files are streamed (never read whole), gzip is recognised by its magic
 * bytes (so `dns.log.gz`, a gzip HTTP body and a plain file all work without a flag), and inputs are
 * split into lines with the byte offset where each line starts.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export type ByteSource = AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>;

/** Counts bytes as they pass (compressed size when the source is gzip), for progress. */
export interface ByteCounter {
  bytes: number;
}

async function* counted(src: ByteSource, counter?: ByteCounter): AsyncGenerator<Buffer> {
  for await (const chunk of src) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    if (counter) counter.bytes += b.length;
    yield b;
  }
}

/** The source's bytes, gunzipped when they start with the gzip magic number. */
export async function* maybeGunzip(src: ByteSource, counter?: ByteCounter): AsyncGenerator<Buffer> {
  const it = counted(src, counter)[Symbol.asyncIterator]();
  let first = await it.next();
  while (!first.done && first.value.length < 2) {
    const more = await it.next();
    if (more.done) break;
    first = { done: false, value: Buffer.concat([first.value, more.value]) };
  }
  if (first.done) return;
  const head = first.value;
  const rest: AsyncIterable<Buffer> = { [Symbol.asyncIterator]: () => it };
  if (head[0] !== 0x1f || head[1] !== 0x8b) {
    yield head;
    yield* rest;
    return;
  }
  async function* all(): AsyncGenerator<Buffer> {
    yield head;
    yield* rest;
  }
  const gunzip = Readable.from(all()).pipe(createGunzip());
  for await (const chunk of gunzip) yield chunk as Buffer;
}

/** A file as a byte stream (64 KiB reads). */
export function fileSource(file: string): ByteSource {
  return fs.createReadStream(file, { highWaterMark: 1 << 20 });
}

/** An in-memory body as a byte source. */
export function bufferSource(body: Buffer | string): ByteSource {
  return [typeof body === 'string' ? Buffer.from(body) : body];
}

export interface Line {
  readonly text: string;
  /** 1-based. */
  readonly line: number;
  readonly offset: number;
}

/** Splits bytes into lines (LF or CRLF), decoding each as UTF-8; a last line without LF is kept. */
export async function* readLines(src: AsyncIterable<Buffer>): AsyncGenerator<Line> {
  let carry: Buffer | null = null;
  let lineNo = 0;
  let offset = 0;
  for await (const chunk of src) {
    const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl < 0) break;
      const end = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
      lineNo++;
      yield { text: buf.toString('utf8', start, end), line: lineNo, offset };
      offset += nl + 1 - start;
      start = nl + 1;
    }
    carry = start < buf.length ? buf.subarray(start) : null;
  }
  if (carry && carry.length > 0) {
    const end = carry[carry.length - 1] === 13 ? carry.length - 1 : carry.length;
    lineNo++;
    yield { text: carry.toString('utf8', 0, end), line: lineNo, offset };
  }
}
