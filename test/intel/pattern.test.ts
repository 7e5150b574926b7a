/** STIX pattern grammar, observable extraction and normalisation. */
import { describe, expect, it } from 'vitest';
import { extractObservables } from '../../src/intel/pattern/observables.js';
import { parsePattern } from '../../src/intel/pattern/parser.js';
import { classifyValue, normalizeUrl, refang } from '../../src/intel/normalize.js';

describe('STIX pattern parser', () => {
  it('parses observation operators with STIX precedence (AND > OR > FOLLOWEDBY) and qualifiers', () => {
    const ast = parsePattern("[a-b:x = 'a'] AND [c-d:y = 'b'] OR [e-f:z = 'c'] FOLLOWEDBY ([g-h:w = 1] REPEATS 2 TIMES) WITHIN 60 SECONDS");
    expect(ast.kind).toBe('followedby');
    if (ast.kind !== 'followedby') return;
    expect(ast.left.kind).toBe('or');
    if (ast.left.kind === 'or') expect(ast.left.left.kind).toBe('and');
    expect(ast.right).toMatchObject({ kind: 'group', qualifiers: [{ kind: 'within', seconds: 60 }] });
  });

  it('parses every comparison operator, NOT, EXISTS, sets, typed literals and START/STOP', () => {
    const p = "[file:size > 10 AND file:name NOT LIKE 'a%' AND (file:x MATCHES '^a' OR EXISTS file:y) AND ipv4-addr:value ISSUBSET '10.0.0.0/8' " +
      "AND file:created >= t'2020-01-01T00:00:00Z' AND file:hashes.'SHA-256' IN ('aa', 'bb') AND artifact:payload_bin = b'AAEC' AND file:magic = h'ff00' AND x-foo:ok != true AND " +
      "email-message:to_refs[*].value = 'a@b.c' AND network-traffic:protocols[0] = 'tcp'] START t'2020-01-01T00:00:00Z' STOP t'2021-01-01T00:00:00.123Z'";
    const ast = parsePattern(p);
    expect(ast).toMatchObject({ kind: 'observation', qualifiers: [{ kind: 'start-stop', start: '2020-01-01T00:00:00Z' }] });
  });

  it.each([
    ["[domain-name:value = 'a'", "expected ']'"],
    ["domain-name:value = 'a'", "expected '['"],
    ["[domain-name:value == 'a']", 'expected a literal'],
    ["[domain-name:value = 'a\\x']", 'invalid escape'],
    ["[domain-name:value = 'a'] AND", "expected '['"],
    ["[Domain:value = 'a']", 'not a valid object type'],
    ["[file:x = t'2020-01-01']", 'invalid timestamp'],
    ["[a-b:c = 'x'] WITHIN 0 SECONDS", 'positive'],
  ])('rejects %s with a positioned intel/bad-pattern error', (pattern, msg) => {
    expect(() => parsePattern(pattern)).toThrowError(expect.objectContaining({ code: 'intel/bad-pattern', message: expect.stringContaining(msg) }));
  });
});

describe('observable extraction and normalisation', () => {
  it('extracts matchable observables and keeps the rest searchable', () => {
    const obs = extractObservables(
      "[domain-name:value = 'Bücher.Example.COM.'] OR [ipv4-addr:value = '198.51.100.0/24'] OR [ipv6-addr:value = '2001:DB8:0:0::1'] OR " +
      "[url:value = 'HTTP://Example.com:80/a/../b#frag'] OR [file:hashes.MD5 = 'D41D8CD98F00B204E9800998ECF8427E' OR file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709'] OR " +
      "[email-message:from_ref.value = 'Evil@Example.ORG'] OR [network-traffic:dst_ref.value = '203.0.113.9'] OR [process:name = 'evil.exe'] OR [domain-name:value != 'skip.example']",
    );
    expect(obs.map((o) => [o.kind, o.value])).toEqual([
      ['domain', 'xn--bcher-kva.example.com'], ['ipv4', '198.51.100.0/24'], ['ipv6', '2001:db8::1'], ['url', 'http://example.com/b'],
      ['md5', 'd41d8cd98f00b204e9800998ecf8427e'], ['sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'], ['email', 'evil@example.org'],
      ['ipv4', '203.0.113.9'], ['other', 'evil.exe'],
    ]);
  });

  it('re-fangs and classifies defanged values', () => {
    expect(refang('hxxps://evil[.]example[.]com/x')).toBe('https://evil.example.com/x');
    expect(classifyValue('1bwsl4[.]com')).toEqual({ kind: 'domain', value: '1bwsl4.com' });
    expect(classifyValue('185.139.70[.]165')).toEqual({ kind: 'ipv4', value: '185.139.70.165' });
    expect(classifyValue('user[@]Example[.]com')).toEqual({ kind: 'email', value: 'user@example.com' });
    expect(classifyValue('hxxp://x[.]example/p?q=1')).toEqual({ kind: 'url', value: 'http://x.example/p?q=1' });
    expect(classifyValue('999.1.1.1')).toBeNull();
    expect(normalizeUrl('example.com/path')).toBe('http://example.com/path');
  });
});
