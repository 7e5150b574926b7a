/**
 * `parse_xml(s)`: Kusto's XML → dynamic conversion, as a JavaScript scalar function the store registers on
 * every DuckDB connection (`kql_parse_xml`, text in, JSON text out; DuckDB has no XML support). Documented
 * rules: `<e/>` → `{"e": null}`; `<e>text</e>` → `{"e": "text"}`; attributes → `"@name"`; an element's own text
 * next to attributes or children → `"#text"`; repeated children → an array; only elements, attributes and
 * text are kept (declarations, processing instructions and comments are skipped); invalid XML and inputs over
 * 1 MB → null. Element text that is a plain decimal number becomes a number (the documented example turns
 * `<value>118.0</value>` into `"value": 118.0`); text with leading zeros, hex or anything else stays a string,
 * and attribute values always do. Order inside an object: attributes, `#text`, then children in document order.
 * Parsing and validation: `fast-xml-parser`.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

const MAX_INPUT = 1 << 20;
const TEXT = '#text';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: TEXT,
  parseAttributeValue: false,
  parseTagValue: true,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  numberParseOptions: { leadingZeros: false, hex: false, eNotation: true },
});

/** Empty elements become null; object keys in Kusto's order (attributes, text, children). */
function normalise(v: unknown): unknown {
  if (v === '') return null;
  if (Array.isArray(v)) return v.map(normalise);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const keys = Object.keys(o);
  for (const k of keys) if (k.startsWith('@')) out[k] = o[k];
  if (TEXT in o) out[TEXT] = o[TEXT];
  for (const k of keys) if (!k.startsWith('@') && k !== TEXT) out[k] = normalise(o[k]);
  return out;
}

/** The dynamic value of `parse_xml(xml)` as JSON text, or null. */
export function parseXmlToJson(xml: string): string | null {
  if (xml.length > MAX_INPUT || Buffer.byteLength(xml, 'utf8') > MAX_INPUT) return null;
  if (XMLValidator.validate(xml) !== true) return null;
  let parsed: unknown;
  try {
    parsed = parser.parse(xml);
  } catch {
    return null;
  }
  const value = normalise(parsed);
  // One root element, as an XML document has (several top-level elements are not XML).
  if (value === null || typeof value !== 'object' || Object.keys(value).length !== 1) return null;
  const root = Object.values(value)[0];
  if (Array.isArray(root)) return null;
  return JSON.stringify(value);
}
