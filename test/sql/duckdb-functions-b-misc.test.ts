import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { long, openHarness, real, str, type Harness } from './duckdb-functions-b-harness.js';

let h: Harness;
beforeAll(async () => { h = await openHarness(); });
afterAll(() => h.close());

const hex = (algo: string, s: string) => createHash(algo).update(s, 'utf8').digest('hex');

describe('math', () => {
  it('round doc examples (half away from zero, negative digits)', async () => {
    expect(await h.call('round', [real(2.98765), long(3)], 'real')).toBe('2.988');
    expect(await h.call('round', [real(2.15), long(1)], 'real')).toBe('2.2');
    expect(await h.call('round', [real(2.15)], 'real')).toBe('2.0');
    expect(await h.call('round', [real(-50.55), long(-2)], 'real')).toBe('-100.0');
    expect(await h.call('round', [real(21.5), long(-1)], 'real')).toBe('20.0');
    expect(await h.call('round', [long(1234), long(-2)], 'long')).toBe('1200');
  });
  it('NaN and -Infinity where DuckDB would raise', async () => {
    expect(await h.value(`isnan(${h.render('sqrt', [real(-1)])})`)).toBe('true');
    expect(await h.value(`isnan(${h.render('log', [real(-1)])})`)).toBe('true');
    expect(await h.call('log', [real(0)], 'real')).toBe('-inf');
    expect(await h.call('log10', [real(100)], 'real')).toBe('2.0');
    expect(await h.call('log2', [long(8)], 'real')).toBe('3.0');
    expect(await h.call('sqrt', [long(16)], 'real')).toBe('4.0');
  });
  it('other functions', async () => {
    expect(await h.call('pow', [long(2), long(10)], 'real')).toBe('1024.0');
    expect(await h.call('abs', [long(-5)], 'long')).toBe('5');
    expect(await h.call('sign', [real(-3.5)], 'real')).toBe('-1.0');
    expect(await h.call('ceiling', [real(1.1)], 'real')).toBe('2.0');
    expect(await h.call('exp', [long(0)], 'real')).toBe('1.0');
    expect(await h.call('binary_xor', [long(5), long(3)], 'long')).toBe('6');
    expect(await h.call('binary_and', [long(6), long(3)], 'long')).toBe('2');
    expect(await h.call('binary_shift_left', [long(1), long(4)], 'long')).toBe('16');
    expect(await h.call('binary_not', [long(0)], 'long')).toBe('-1');
  });
  it('rand and new_guid', async () => {
    const r = Number(await h.call('rand', [], 'real'));
    expect(r >= 0 && r < 1).toBe(true);
    const n = Number(await h.call('rand', [long(10)], 'long'));
    expect(Number.isInteger(n) && n >= 0 && n < 10).toBe(true);
    expect(await h.call('new_guid', [])).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('hashing and base64', () => {
  it('hash_md5/sha1/sha256 equal the digests of the UTF-8 text', async () => {
    for (const s of ['World', '', 'ünïcødé']) {
      expect(await h.call('hash_md5', [str(s)])).toBe(hex('md5', s));
      expect(await h.call('hash_sha1', [str(s)])).toBe(hex('sha1', s));
      expect(await h.call('hash_sha256', [str(s)])).toBe(hex('sha256', s));
    }
    expect(await h.call('hash_md5', [str('World')])).toBe('f5a7924e621e84c9280a9a27e1bcb7f6');
    expect(await h.call('hash_md5', [str(null)])).toBe(hex('md5', ''));
  });
  it('hash is deterministic, non-negative, and bounded by mod', async () => {
    const a = await h.call('hash', [str('World')], 'long');
    expect(await h.call('hash', [str('World')], 'long')).toBe(a);
    expect(BigInt(a!) >= 0n).toBe(true);
    const m = Number(await h.call('hash', [str('World'), long(100)], 'long'));
    expect(m >= 0 && m < 100).toBe(true);
  });
  it('base64 round trip, doc example and invalid input', async () => {
    expect(await h.call('base64_encode_tostring', [str('Kusto')])).toBe('S3VzdG8=');
    expect(await h.call('base64_encodestring', [str('')])).toBe('');
    expect(await h.call('base64_decode_tostring', [str('S3VzdG8=')])).toBe('Kusto');
    expect(await h.call('base64_decodestring', [str('S3VzdG8=')])).toBe('Kusto');
    expect(await h.call('base64_decode_tostring', [str('not base64!')])).toBeNull();
    expect(await h.call('base64_decode_tostring', [str('/w==')])).toBeNull(); // 0xFF is not UTF-8
    expect(await h.call('base64_decode_toarray', [str('S3VzdG8=')], 'dynamic')).toBe('[75,117,115,116,111]');
    expect(await h.call('base64_decode_toarray', [str('###')], 'dynamic')).toBeNull();
  });
});

describe('URLs', () => {
  it('url_encode_component', async () => {
    expect(await h.call('url_encode_component', [str('https://www.bing.com/hello world/')])).toBe('https%3A%2F%2Fwww.bing.com%2Fhello%20world%2F');
  });
  it('parse_url doc example with exactly Kusto\'s keys', async () => {
    const got = await h.call('parse_url', [str('scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v2#fragment')], 'dynamic');
    expect(JSON.parse(got!)).toEqual({
      Scheme: 'scheme', Host: 'host', Port: '1234', Path: '/this/is/a/path', Username: 'username', Password: 'password',
      'Query Parameters': { k1: 'v1', k2: 'v2' }, Fragment: 'fragment',
    });
    expect(Object.keys(JSON.parse(got!))).toEqual(['Scheme', 'Host', 'Port', 'Path', 'Username', 'Password', 'Query Parameters', 'Fragment']);
  });
  it('parse_url of simple, encoded and non-absolute URLs', async () => {
    const p = async (u: string) => JSON.parse((await h.call('parse_url', [str(u)], 'dynamic'))!);
    expect(await p('https://bing.com')).toMatchObject({ Scheme: 'https', Host: 'bing.com', Port: '', Path: '', 'Query Parameters': {} });
    expect((await p('http://x.org/s?q=a%20b+c&flag&q=second'))['Query Parameters']).toEqual({ q: 'a b c', flag: '' });
    expect(await p('a.com')).toEqual({
      Scheme: '', Host: '', Port: '', Path: '', Username: '', Password: '', 'Query Parameters': {}, Fragment: '',
    });
  });
  it('parse_urlquery doc example', async () => {
    expect(JSON.parse((await h.call('parse_urlquery', [str('k1=v1&k2=v2&k3=v3')], 'dynamic'))!)).toEqual({ 'Query Parameters': { k1: 'v1', k2: 'v2', k3: 'v3' } });
    expect(JSON.parse((await h.call('parse_urlquery', [str('?a=1')], 'dynamic'))!)).toEqual({ 'Query Parameters': { a: '1' } });
  });
});
