/**
 * Seeded pseudo-random numbers for the generator: xoshiro128** (32-bit state words, fast in JS
 * because every step stays in int32 arithmetic), seeded through splitmix32. Also stateless hashing
 * (`hash32`, `hashFloat`) for values that several tables must agree on without sharing a stream,
 * e.g. the NetworkMessageId of mail number `m`.
 *
 * Nothing here touches `Math.random` or the clock: the same seed yields the same sequence on every
 * platform, which is what makes generated rows byte-identical between runs.
 */

/** FNV-1a over the UTF-16 code units of a string, finished with a murmur3 avalanche. */
export function hashString(s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** murmur3's 32-bit finaliser: spreads every input bit over the whole word. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A stateless hash of a few integers (e.g. seed, purpose, index) to an unsigned 32-bit value. */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    h = fmix32((h ^ (p >>> 0)) + 0x7f4a7c15 + (h << 6) + (h >>> 2));
  }
  return h >>> 0;
}

/** A stateless hash to a float in [0, 1). */
export function hashFloat(...parts: number[]): number {
  return hash32(...parts) / 4294967296;
}

/** Normalises a user seed (number or text) to a 32-bit integer. */
export function seedToInt(seed: number | string): number {
  if (typeof seed === 'number' && Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff) return seed >>> 0;
  return hashString(String(seed));
}

const HEX = '0123456789abcdef';

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `seed` and `stream` together select an independent sequence (one stream per table). */
  constructor(seed: number, stream = 0) {
    // splitmix32 expands the two inputs to four state words; an all-zero state is impossible.
    let x = (hash32(seed, stream) | 0) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next() | 1;
  }

  /** Next unsigned 32-bit value (xoshiro128**). */
  u32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform float in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** Picks by weight: `weights[i]` is the relative weight of `items[i]`. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.float() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i] as number;
      if (r < 0) return items[i] as T;
    }
    return items[items.length - 1] as T;
  }

  /** A skewed index in [0, n): low indices are much more likely (Zipf-like popularity). */
  skewed(n: number, power = 2): number {
    return Math.min(n - 1, Math.floor(Math.pow(this.float(), power) * n));
  }

  /** `n` lowercase hex digits. */
  hex(n: number): string {
    let s = '';
    while (s.length < n) {
      let v = this.u32();
      for (let k = 0; k < 8 && s.length < n; k++) {
        s += HEX[v & 15];
        v >>>= 4;
      }
    }
    return s;
  }

  /** A random (version 4 shaped) GUID. */
  guid(): string {
    return guidFrom(this.hex(32));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Formats 32 hex digits as a version-4 GUID string. */
export function guidFrom(hex32: string): string {
  const h = hex32.padEnd(32, '0');
  const variant = HEX[8 + (parseInt(h[16] as string, 16) & 3)];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Stateless hex digits: the same (parts) always give the same digits. */
export function hashHex(n: number, ...parts: number[]): string {
  let s = '';
  let i = 0;
  while (s.length < n) {
    let v = hash32(...parts, i++);
    for (let k = 0; k < 8 && s.length < n; k++) {
      s += HEX[v & 15];
      v >>>= 4;
    }
  }
  return s;
}

/** A stateless GUID for (parts). */
export function hashGuid(...parts: number[]): string {
  return guidFrom(hashHex(32, ...parts));
}
