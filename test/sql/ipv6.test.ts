import { describe, expect, it } from 'vitest';
import { ipv6CompareUdf, ipv6InAnyRangeUdf, parseIpv6Text, parseIpv6Udf } from '../../src/sql/dialects/duckdb/udf-ipv6.js';

describe('IPv6 text parsing (udf-ipv6.ts)', () => {
  it('reads compressed forms, upper case and IPv4 tails', () => {
    expect(parseIpv6Udf('2001:DB8::1')).toBe('2001:0db8:0000:0000:0000:0000:0000:0001');
    expect(parseIpv6Udf('::')).toBe('0000:0000:0000:0000:0000:0000:0000:0000');
    expect(parseIpv6Udf('1:2:3:4:5:6:1.2.3.4')).toBe('0001:0002:0003:0004:0005:0006:0102:0304');
    expect(parseIpv6Udf('::ffff:10.0.0.1')).toBe(parseIpv6Udf('10.0.0.1'));
    expect(parseIpv6Udf(' fe80::1 ')).toBe('fe80:0000:0000:0000:0000:0000:0000:0001');
  });

  it('refuses malformed text and prefixes out of range', () => {
    for (const bad of ['1::2::3', ':::', '1:2:3:4:5:6:7:8:9', 'g::1', '::ffff:1.2.3.256', '1:2:3:4:5:6:7', '10.0.0.1/33', 'fe80::1/129', '::1/x', '', '1.2.3', '::1.2.3.4/40']) {
      expect(parseIpv6Text(bad), bad).toBeUndefined();
      expect(parseIpv6Udf(bad), bad).toBe('');
    }
  });

  it('compares under the shortest prefix and matches ranges, IPv4 prefixes counting from bit 96', () => {
    expect(ipv6CompareUdf('10.1.2.3/8', '10.200.0.0', '128')).toBe('0');
    expect(ipv6CompareUdf('::1', '::2', '126')).toBe('0');
    expect(ipv6CompareUdf('::1', '::4', '126')).toBe('-1');
    expect(ipv6CompareUdf('::1', '::1', '-1')).toBeNull();
    expect(ipv6InAnyRangeUdf('10.9.9.9', '["bad", 42, "10.0.0.0/8"]')).toBe('true');
    expect(ipv6InAnyRangeUdf('10.9.9.9', 'not json')).toBe('false');
    expect(ipv6InAnyRangeUdf('nope', '["::/0"]')).toBeNull();
  });
});
