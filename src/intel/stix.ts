/**
 * STIX 2.1 object basics: types, deterministic ids (UUIDv5 in the STIX namespace, as STIX §2.9 prescribes
 * for cyber-observables), timestamps (as epoch microseconds for ordering, text kept verbatim), canonical JSON
 * (sorted keys) whose hash decides "unchanged" on re-import, and 2.0 → 2.1 upgrade.
 */
import { createHash } from 'node:crypto';
import { QuarryError } from '../core/errors.js';

export type StixObject = Record<string, unknown> & { readonly type: string; readonly id: string };

/** The STIX 2.1 namespace for UUIDv5 object ids (STIX 2.1 §2.9). */
export const STIX_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

export function uuidV5(name: string, namespace = STIX_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** A deterministic id of the given type from the parts that identify the object in its source. */
export function deterministicId(type: string, ...parts: string[]): string {
  return `${type}--${uuidV5(parts.join('\u001f'))}`;
}

// UUID hex is case-insensitive on input (RFC 4122); some published examples use upper-case digits
const ID_RE = /^[a-z0-9][a-z0-9-]+[a-z0-9]--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
export function isStixId(s: unknown): s is string {
  return typeof s === 'string' && ID_RE.test(s);
}

/** Parses an RFC 3339 timestamp (any fractional precision) to epoch microseconds; null when invalid. */
export function timestampMicros(s: unknown): bigint | null {
  if (typeof s !== 'string') return null;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return null;
  const frac = ((m[2] ?? '') + '000000').slice(0, 6);
  return BigInt(ms) * 1000n + BigInt(frac);
}

/** Epoch microseconds → `YYYY-MM-DDTHH:MM:SS.ffffffZ` (TAXII wants microsecond precision for date_added). */
export function microsToIso(us: bigint, digits: 3 | 6 = 6): string {
  const ms = us / 1000n;
  const base = new Date(Number(ms)).toISOString().slice(0, 19);
  const frac = ((us % 1_000_000n) + 1_000_000n) % 1_000_000n;
  return `${base}.${frac.toString().padStart(6, '0').slice(0, digits)}Z`;
}

export function nowIso(now: Date = new Date()): string {
  return now.toISOString();
}

/** JSON with object keys sorted at every level: the form whose hash identifies an object version's content. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

export function contentHash(obj: unknown): string {
  return createHash('sha256').update(canonicalJson(obj)).digest('hex');
}

/** The version key of an object: `modified`, else `created`, else '' (unversioned observables, markings). */
export function versionOf(o: StixObject): string {
  const m = o.modified ?? o.created;
  return typeof m === 'string' ? m : '';
}

const typeFromLabels: Record<string, string> = {
  indicator: 'indicator_types',
  malware: 'malware_types',
  tool: 'tool_types',
  'threat-actor': 'threat_actor_types',
  report: 'report_types',
};

/**
 * Upgrades a STIX 2.0 object to 2.1 in the minimal, lossless way: sets `spec_version`, `pattern_type` on
 * indicators, copies 2.0's required `labels` into the 2.1 `*_types` property (labels are kept), and
 * `is_family` false on malware when absent. Objects already 2.1 are returned unchanged.
 */
export function upgradeTo21(o: StixObject): StixObject {
  if (o.spec_version === '2.1') return o;
  const out: Record<string, unknown> = { ...o };
  if (o.type === 'marking-definition' || !o.type.startsWith('x-')) out.spec_version = '2.1';
  if (o.type === 'indicator' && out.pattern_type === undefined) out.pattern_type = 'stix';
  const typesProp = typeFromLabels[o.type];
  if (typesProp && out[typesProp] === undefined && Array.isArray(o.labels)) out[typesProp] = o.labels;
  if (o.type === 'malware' && out.is_family === undefined) out.is_family = false;
  return out as StixObject;
}

/** Checks the properties every stored object needs; throws `intel/bad-object` naming what is wrong. */
export function validateObject(o: unknown): StixObject {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new QuarryError('intel/bad-object', 'not a JSON object');
  const r = o as Record<string, unknown>;
  if (typeof r.type !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(r.type)) throw new QuarryError('intel/bad-object', 'missing or invalid "type"');
  if (!isStixId(r.id)) throw new QuarryError('intel/bad-object', `missing or invalid "id" (${String(r.id)})`);
  if (!(r.id as string).startsWith(`${r.type}--`)) throw new QuarryError('intel/bad-object', `id ${String(r.id)} does not match type ${r.type}`);
  for (const k of ['created', 'modified', 'valid_from', 'valid_until']) {
    if (r[k] !== undefined && timestampMicros(r[k]) === null) throw new QuarryError('intel/bad-object', `"${k}" is not an RFC 3339 timestamp: ${String(r[k])}`);
  }
  if (r.type === 'indicator') {
    if (typeof r.pattern !== 'string') throw new QuarryError('intel/bad-object', 'indicator without a "pattern"');
    const from = timestampMicros(r.valid_from);
    const until = timestampMicros(r.valid_until);
    if (from !== null && until !== null && until <= from) throw new QuarryError('intel/bad-object', 'valid_until must be later than valid_from');
  }
  if (r.confidence !== undefined && !(Number.isInteger(r.confidence) && (r.confidence as number) >= 0 && (r.confidence as number) <= 100)) {
    throw new QuarryError('intel/bad-object', `"confidence" must be an integer 0–100, got ${String(r.confidence)}`);
  }
  return r as StixObject;
}
