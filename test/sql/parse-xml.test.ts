import { describe, expect, it } from 'vitest';
import { parseXmlToJson } from '../../src/sql/dialects/duckdb/udf-parse-xml.js';

describe('parseXmlToJson (parse_xml)', () => {
  it('orders attributes, then text, then children', () => {
    expect(parseXmlToJson('<e><a>1x</a><!-- c -->t<b k="v"/></e>')).toBe('{"e":{"#text":"t","a":"1x","b":{"@k":"v"}}}');
    expect(parseXmlToJson('<e z="1" a="2">t</e>')).toBe('{"e":{"@z":"1","@a":"2","#text":"t"}}');
  });

  it('keeps leading zeros, hex and attribute numbers as text', () => {
    expect(parseXmlToJson('<e n="5"><z>007</z><h>0x1F</h><d>-2.5</d></e>')).toBe('{"e":{"@n":"5","z":"007","h":"0x1F","d":-2.5}}');
  });

  it('is null for several roots, invalid XML and inputs over 1 MB', () => {
    expect(parseXmlToJson('<a/><b/>')).toBeNull();
    expect(parseXmlToJson('<a>')).toBeNull();
    expect(parseXmlToJson(`<a>${'x'.repeat(1 << 20)}</a>`)).toBeNull();
    expect(parseXmlToJson(`<a>${'x'.repeat(1000)}</a>`)).not.toBeNull();
  });
});
