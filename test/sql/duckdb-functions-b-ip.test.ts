import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { col, dyn, long, openHarness, str, type Harness } from './duckdb-functions-b-harness.js';

let h: Harness;
beforeAll(async () => { h = await openHarness(); });
afterAll(() => h.close());

describe('parse_ipv4 and parse_ipv4_mask', () => {
  it('doc examples, with the prefix applied', async () => {
    expect(await h.call('parse_ipv4', [str('192.168.1.1')], 'long')).toBe('3232235777');
    expect(await h.call('parse_ipv4', [str('192.168.1.1/24')], 'long')).toBe('3232235776');
    expect(await h.call('parse_ipv4', [str('255.255.255.255/31')], 'long')).toBe('4294967294');
    expect(await h.call('parse_ipv4', [str('127.0.0.1')], 'long')).toBe('2130706433');
    expect(await h.call('parse_ipv4', [str('10.1.2.3/0')], 'long')).toBe('0');
    expect(await h.call('parse_ipv4', [str('10.1.2.3/32')], 'long')).toBe('167838211');
  });
  it('gives null for invalid input', async () => {
    for (const bad of ['256.1.1.1', '1.2.3', '1.2.3.4/33', '', 'abc', '1.2.3.4.5', '1.2.3.-4', '::1']) {
      expect(await h.call('parse_ipv4', [str(bad)], 'long'), bad).toBeNull();
    }
    expect(await h.call('parse_ipv4', [str(null)], 'long')).toBeNull();
  });
  it('parse_ipv4_mask doc examples', async () => {
    expect(await h.call('parse_ipv4_mask', [str('127.0.0.1'), long(24)], 'long')).toBe('2130706432');
    expect(await h.call('parse_ipv4_mask', [str('192.1.168.3'), long(31)], 'long')).toBe('3221334018');
    expect(await h.call('parse_ipv4_mask', [str('192.1.168.2'), long(31)], 'long')).toBe('3221334018');
    expect(await h.call('parse_ipv4_mask', [str('192.1.168.2'), long(0)], 'long')).toBe('0');
    expect(await h.call('parse_ipv4_mask', [str('192.1.168.2'), long(33)], 'long')).toBeNull();
    expect(await h.call('parse_ipv4_mask', [str('nope'), long(24)], 'long')).toBeNull();
  });
});

describe('ranges and comparisons', () => {
  it('ipv4_is_private (RFC 1918) doc examples and edges', async () => {
    const cases: [string, string | null][] = [
      ['192.168.1.1/24', 'true'], ['10.1.2.3/24', 'true'], ['202.1.2.3', 'false'], ['127.0.0.1', 'false'],
      ['172.16.0.0', 'true'], ['172.31.255.255', 'true'], ['172.32.0.0', 'false'], ['172.15.255.255', 'false'],
      ['192.169.0.1', 'false'], ['10.255.255.255', 'true'], ['11.0.0.0', 'false'], ['not an ip', null],
    ];
    for (const [ip, want] of cases) expect(await h.call('ipv4_is_private', [str(ip)], 'bool'), ip).toBe(want);
  });
  it('ipv4_is_in_range with CIDR edges /0 and /32', async () => {
    const cases: [string, string, string | null][] = [
      ['192.168.1.1', '192.168.1.255', 'false'], ['192.168.1.1', '192.168.1.255/24', 'true'],
      ['192.168.2.1', '192.168.1.255/24', 'false'], ['1.2.3.4', '0.0.0.0/0', 'true'], ['255.255.255.255', '0.0.0.0/0', 'true'],
      ['10.0.0.1', '10.0.0.1/32', 'true'], ['10.0.0.2', '10.0.0.1/32', 'false'], ['10.0.0.1', 'bad', null], ['bad', '10.0.0.0/8', null],
    ];
    for (const [ip, r, want] of cases) {
      // Constant ranges are parsed at compile time; a non-constant range goes through the SQL macro: both must agree.
      expect(await h.call('ipv4_is_in_range', [str(ip), str(r)], 'bool'), `${ip} in ${r}`).toBe(want);
      expect(await h.call('ipv4_is_in_range', [str(ip), col(`trim(' ' || ${str(r).sql})`, 'string')], 'bool'), `${ip} in col ${r}`).toBe(want);
    }
  });
  it('ipv4_is_in_any_range with a list of strings or a dynamic array', async () => {
    expect(await h.call('ipv4_is_in_any_range', [str('192.168.1.6'), str('192.168.1.1/24'), str('10.0.0.1/8'), str('10.1.1.1/16')], 'bool')).toBe('true');
    expect(await h.call('ipv4_is_in_any_range', [str('192.168.1.6'), dyn(['10.0.0.1/8', '10.1.1.1/16'])], 'bool')).toBe('false');
    expect(await h.call('ipv4_is_in_any_range', [str('10.9.8.7'), dyn(['garbage', '10.0.0.0/8'])], 'bool')).toBe('true');
    expect(await h.call('ipv4_is_in_any_range', [str('10.9.8.7'), dyn([])], 'bool')).toBe('false');
    expect(await h.call('ipv4_is_in_any_range', [str('x.9.8.7'), dyn(['10.0.0.0/8'])], 'bool')).toBeNull();
  });
  it('ipv4_compare and ipv4_is_match doc examples', async () => {
    const cmp: [string, string, number | undefined, string | null][] = [
      ['127.0.0.1', '127.0.0.1', undefined, '0'], ['192.168.1.1', '192.168.1.255', undefined, '-1'],
      ['192.168.1.255', '192.168.1.1', undefined, '1'], ['192.168.1.1/24', '192.168.1.255/24', undefined, '0'],
      ['192.168.1.1', '192.168.1.255', 24, '0'], ['1.2.3.4', '9.9.9.9', 0, '0'], ['1.2.3.4', 'bad', undefined, null],
    ];
    for (const [a, b, p, want] of cmp) {
      const args = [str(a), str(b), ...(p === undefined ? [] : [long(p)])];
      expect(await h.call('ipv4_compare', args, 'int'), `${a} ${b} ${p}`).toBe(want);
      expect(await h.call('ipv4_is_match', args, 'bool'), `${a} ${b} ${p}`).toBe(want === null ? null : String(want === '0'));
    }
  });
  it('works on a column, row by row', async () => {
    const r = await h.con.runAndReadAll(`SELECT ${h.render('ipv4_is_private', [col('ip', 'string')])} FROM (VALUES ('10.0.0.1'), ('8.8.8.8'), (NULL)) t(ip)`);
    expect(r.getRows().map((x) => x[0])).toEqual([true, false, null]);
  });
});

describe('formatting', () => {
  it('format_ipv4 doc examples', async () => {
    expect(await h.call('format_ipv4', [str('192.168.1.255'), long(24)])).toBe('192.168.1.0');
    expect(await h.call('format_ipv4', [long(3232236031), long(24)])).toBe('192.168.1.0');
    expect(await h.call('format_ipv4', [str('192.168.1.1/24'), long(32)])).toBe('192.168.1.0');
    expect(await h.call('format_ipv4', [str('192.1.168.1'), long(16)])).toBe('192.1.0.0');
    expect(await h.call('format_ipv4', [str('abc'), long(24)])).toBe('');
    expect(await h.call('format_ipv4', [long(-1)])).toBe('');
  });
  it('format_ipv4_mask doc examples', async () => {
    expect(await h.call('format_ipv4_mask', [str('192.168.1.255'), long(24)])).toBe('192.168.1.0/24');
    expect(await h.call('format_ipv4_mask', [long(3232236031), long(24)])).toBe('192.168.1.0/24');
    expect(await h.call('format_ipv4_mask', [str('192.168.1.1')])).toBe('192.168.1.1/32');
    expect(await h.call('format_ipv4_mask', [str('192.1.168.1/16'), long(32)])).toBe('192.1.0.0/16');
    expect(await h.call('format_ipv4_mask', [str('1.2.3.4'), long(0)])).toBe('0.0.0.0/0');
    expect(await h.call('format_ipv4_mask', [str('1.2.3.4'), long(40)])).toBe('');
  });
});

describe('searching text for addresses', () => {
  const line = '05:04:54 127.0.0.1 GET /favicon.ico 404';
  it('has_ipv4 doc examples', async () => {
    expect(await h.call('has_ipv4', [str(line), str('127.0.0.1')], 'bool')).toBe('true');
    expect(await h.call('has_ipv4', [str('05:04:54 127.0.0.256 GET /favicon.ico 404'), str('127.0.0.256')], 'bool')).toBe('false');
    expect(await h.call('has_ipv4', [str('05:04:54127.0.0.1 GET /favicon.ico 404'), str('127.0.0.1')], 'bool')).toBe('false');
    expect(await h.call('has_ipv4', [str('These requests came from: 192.168.1.1, 10.1.1.115 and 10.1.1.201'), str('10.1.1.115')], 'bool')).toBe('true');
    expect(await h.call('has_ipv4', [str('from 10.1.1.11.'), str('10.1.1.11')], 'bool')).toBe('true');
    expect(await h.call('has_ipv4', [str('from 10.1.1.115'), str('10.1.1.11')], 'bool')).toBe('false');
    expect(await h.call('has_ipv4', [str(null), str('10.1.1.11')], 'bool')).toBe('false');
  });
  it('has_ipv4_prefix doc examples', async () => {
    expect(await h.call('has_ipv4_prefix', [str(line), str('127.0.')], 'bool')).toBe('true');
    expect(await h.call('has_ipv4_prefix', [str(line), str('127.0')], 'bool')).toBe('false');
    expect(await h.call('has_ipv4_prefix', [str('05:04:54 127.0.0.256 GET /favicon.ico 404'), str('127.0.')], 'bool')).toBe('false');
    expect(await h.call('has_ipv4_prefix', [str('05:04:54127.0.0.1 GET /favicon.ico 404'), str('127.0.')], 'bool')).toBe('false');
    expect(await h.call('has_ipv4_prefix', [str(line), str('127.0.0.1')], 'bool')).toBe('true');
  });
  it('has_any_ipv4 and has_any_ipv4_prefix doc examples', async () => {
    expect(await h.call('has_any_ipv4', [str(line), str('127.0.0.1'), str('127.0.0.2')], 'bool')).toBe('true');
    expect(await h.call('has_any_ipv4', [str(line), dyn(['127.0.0.1', '127.0.0.2'])], 'bool')).toBe('true');
    expect(await h.call('has_any_ipv4', [str('05:04:54 127.0.0.256 GET'), dyn(['127.0.0.256', '192.168.1.1'])], 'bool')).toBe('false');
    expect(await h.call('has_any_ipv4', [str('05:04:54127.0.0.1 GET'), str('127.0.0.1'), str('192.168.1.1')], 'bool')).toBe('false');
    expect(await h.call('has_any_ipv4_prefix', [str(line), str('127.0.'), str('192.168.')], 'bool')).toBe('true');
    expect(await h.call('has_any_ipv4_prefix', [str(line), dyn(['127.0.', '192.168.'])], 'bool')).toBe('true');
    expect(await h.call('has_any_ipv4_prefix', [str(line), dyn(['127.0', '192.168.'])], 'bool')).toBe('false');
  });
});
