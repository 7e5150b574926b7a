/**
 * The generator without a store: determinism, catalog conformance, realistic shapes, and the planted
 * truth checked against an independent scan of every generated row.
 */
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../src/catalog/catalog.js';
import { physicalColumns } from '../../src/catalog/views.js';
import type { ColumnDef } from '../../src/catalog/types.js';
import { QuarryError } from '../../src/core/errors.js';
import {
  defaultIndicators, generateRows, generatedTableNames, resolveOptions, type Row, type TruthRef,
} from '../../src/generate/index.js';

const END = '2024-05-01T00:00:00Z';
const END_MS = Date.parse(END);
const opts = { seed: 42, rows: 12_000, end: END, days: 7 } as const;

function all(options: Parameters<typeof resolveOptions>[0]): { rows: Map<string, Row[]>; refs: TruthRef[] } {
  const r = resolveOptions(options);
  const rows = new Map<string, Row[]>();
  const refs: TruthRef[] = [];
  for (const table of r.counts.keys()) {
    const list: Row[] = [];
    for (const b of generateRows(table, r, (x) => refs.push(x))) list.push(...b);
    rows.set(table, list);
  }
  return { rows, refs };
}

const base = all(opts);
const rowsOf = (t: string): Row[] => base.rows.get(t) ?? [];

describe('determinism', () => {
  it('same seed and options give byte-identical rows, whatever the batch size', () => {
    const again = all({ ...opts, batchSize: 777 });
    for (const t of generatedTableNames) {
      expect(JSON.stringify(again.rows.get(t)), t).toBe(JSON.stringify(rowsOf(t)));
    }
    expect(JSON.stringify(again.refs)).toBe(JSON.stringify(base.refs));
  });

  it('a table generated alone equals the same table in a full run', () => {
    const r = resolveOptions(opts);
    const alone = resolveOptions({ ...opts, rows: { DeviceNetworkEvents: r.counts.get('DeviceNetworkEvents')!, EmailUrlInfo: r.counts.get('EmailUrlInfo')!, EmailEvents: r.counts.get('EmailEvents')! } });
    for (const t of ['DeviceNetworkEvents', 'EmailUrlInfo']) {
      const rows = [...generateRows(t, alone)].flat();
      expect(JSON.stringify(rows), t).toBe(JSON.stringify(rowsOf(t)));
    }
  });

  it('a different seed gives different rows', () => {
    const other = all({ ...opts, seed: 43, tables: ['DeviceNetworkEvents', 'EmailEvents'] });
    expect(JSON.stringify(other.rows.get('DeviceNetworkEvents'))).not.toBe(JSON.stringify(rowsOf('DeviceNetworkEvents')));
    expect(JSON.stringify(other.rows.get('EmailEvents'))).not.toBe(JSON.stringify(rowsOf('EmailEvents')));
  });
});

function checkValue(c: ColumnDef, v: unknown): string | null {
  if (v === null || v === undefined) return null;
  switch (c.type) {
    case 'datetime': return v instanceof Date && !Number.isNaN(v.getTime()) ? null : 'not a valid Date';
    case 'long': return Number.isSafeInteger(v) ? null : 'not a safe integer';
    case 'int': return Number.isInteger(v) && (v as number) >= -(2 ** 31) && (v as number) < 2 ** 31 ? null : 'not a 32-bit integer';
    case 'real': case 'decimal': return typeof v === 'number' && Number.isFinite(v) ? null : 'not a finite number';
    case 'bool': return typeof v === 'boolean' ? null : 'not a boolean';
    case 'dynamic': return typeof v === 'object' || (typeof v === 'string' && JSON.parse(v) !== undefined) ? null : 'not JSON';
    default: return typeof v === 'string' ? null : `not a string (${typeof v})`;
  }
}

describe('rows fit the catalog', () => {
  const catalog = defaultCatalog();
  for (const table of generatedTableNames) {
    it(`${table}: known columns, values of the column type, time inside the window`, () => {
      const def = catalog.getTable(table);
      const cols = new Map(physicalColumns(def).map((c) => [c.name, c]));
      const rows = rowsOf(table);
      expect(rows.length).toBeGreaterThan(0);
      const timeCol = def.timeColumn!;
      const problems = new Set<string>();
      for (const row of rows) {
        for (const [k, v] of Object.entries(row)) {
          const c = cols.get(k);
          if (!c) { problems.add(`unknown column ${k}`); continue; }
          const p = checkValue(c, v);
          if (p) problems.add(`${k}: ${p}`);
        }
        const t = (row[timeCol] as Date).getTime();
        if (def.category === 'event' && !(t >= END_MS - 7 * 86_400_000 && t < END_MS)) problems.add(`${timeCol} outside the window`);
        if (def.origin === 'defender' && row.TimeGenerated !== row.Timestamp) problems.add('TimeGenerated != Timestamp');
      }
      expect([...problems]).toEqual([]);
    });
  }
});

describe('realistic shapes', () => {
  it('DeviceNetworkEvents mixes outcomes, public/private remotes, URL and bare-FQDN RemoteUrl', () => {
    const rows = rowsOf('DeviceNetworkEvents');
    const actions = new Set(rows.map((r) => r.ActionType));
    expect(actions).toContain('ConnectionSuccess');
    expect(actions).toContain('ConnectionFailed');
    const types = new Set(rows.map((r) => r.RemoteIPType));
    expect(types).toContain('Public');
    expect(types).toContain('Private');
    const urls = rows.map((r) => r.RemoteUrl as string).filter(Boolean);
    expect(urls.some((u) => u.includes('://'))).toBe(true);
    expect(urls.some((u) => !u.includes('://') && /^[a-z0-9.-]+\.[a-z]+$/.test(u))).toBe(true);
    expect(rows.every((r) => /^[0-9a-f]{40}$/.test(r.DeviceId as string))).toBe(true);
    expect(rows.every((r) => (r.DeviceName as string).endsWith('.contoso.com'))).toBe(true);
  });

  it('DnsQueryResponse rows carry the name in AdditionalFields JSON and no RemoteUrl', () => {
    const dns = rowsOf('DeviceEvents').filter((r) => r.ActionType === 'DnsQueryResponse');
    expect(dns.length).toBeGreaterThan(100);
    for (const r of dns) {
      const af = JSON.parse(r.AdditionalFields as string) as { DnsQueryString: unknown };
      expect(typeof af.DnsQueryString).toBe('string');
      expect(r.RemoteUrl).toBe('');
    }
  });

  it('UrlChain is a JSON array of strings; mail ids are shared across the mail tables', () => {
    const ids = new Set(rowsOf('EmailEvents').map((r) => r.NetworkMessageId));
    for (const r of rowsOf('UrlClickEvents')) {
      const chain = JSON.parse(r.UrlChain as string) as unknown[];
      expect(Array.isArray(chain) && chain.length > 0 && chain.every((x) => typeof x === 'string')).toBe(true);
      expect(ids.has(r.NetworkMessageId)).toBe(true);
    }
    for (const t of ['EmailUrlInfo', 'EmailAttachmentInfo']) for (const r of rowsOf(t)) expect(ids.has(r.NetworkMessageId)).toBe(true);
    // UrlCount of each message equals its EmailUrlInfo rows.
    const perMsg = new Map<unknown, number>();
    for (const r of rowsOf('EmailUrlInfo')) perMsg.set(r.NetworkMessageId, (perMsg.get(r.NetworkMessageId) ?? 0) + 1);
    for (const r of rowsOf('EmailEvents')) expect(perMsg.get(r.NetworkMessageId) ?? 0).toBe(r.UrlCount);
  });

  it('IdentityQueryEvents has DNS query rows with the name in QueryTarget', () => {
    const dns = rowsOf('IdentityQueryEvents').filter((r) => r.ActionType === 'DNS query');
    expect(dns.length).toBeGreaterThan(50);
    expect(dns.every((r) => typeof r.QueryTarget === 'string' && (r.QueryTarget as string).includes('.'))).toBe(true);
  });

  it('indicator tables: two versions each, current ones active and unexpired except the decoys', () => {
    const ti = rowsOf('ThreatIntelligenceIndicator');
    expect(ti.length).toBe(defaultIndicators.length * 2);
    const latest = new Map<string, Row>();
    for (const r of ti) {
      const prev = latest.get(r.IndicatorId as string);
      if (!prev || (r.TimeGenerated as Date) > (prev.TimeGenerated as Date)) latest.set(r.IndicatorId as string, r);
    }
    expect(latest.size).toBe(defaultIndicators.length);
    const byValue = new Map([...latest.values()].map((r) => [String(r.DomainName ?? r.NetworkIP ?? r.NetworkCidrBlock ?? r.Url ?? r.FileHashValue ?? r.EmailSenderAddress), r]));
    for (const ind of defaultIndicators) {
      const r = byValue.get(ind.value)!;
      expect(r, ind.id).toBeDefined();
      const unexpired = (r.ExpirationDateTime as Date).getTime() > END_MS;
      expect(r.Active === true && unexpired && !(r.Description as string).includes('State: inactive;'), ind.id).toBe(ind.status === 'active');
      if (ind.status === 'inactive') expect(r.Description as string).toContain('State: inactive;');
      expect((r.TimeGenerated as Date).getTime()).toBeGreaterThan(END_MS - 14 * 86_400_000);
    }
    const stix = rowsOf('ThreatIntelIndicators');
    expect(new Set(stix.map((r) => r.Id)).size).toBe(defaultIndicators.length);
    expect(stix.every((r) => typeof (r.Data as { pattern: string }).pattern === 'string')).toBe(true);
  });
});

const keyColumns: Record<string, string[]> = { DnsEvents: ['TimeGenerated', 'ClientIP', 'Name'], CommonSecurityLog: ['ExtID'] };

/** Every (table, key, indicator, column) where a row mentions a planted value, found by brute force. */
function scan(): Set<string> {
  const needles = defaultIndicators.flatMap((ind) => (ind.observed ?? [ind.value]).map((v) => [v.toLowerCase(), ind.id] as const));
  const found = new Set<string>();
  for (const [table, rows] of base.rows) {
    if (table.startsWith('ThreatIntel')) continue;
    const keys = keyColumns[table] ?? ['ReportId'];
    for (const row of rows) {
      const key = keys.map((k) => (row[k] instanceof Date ? (row[k] as Date).toISOString() : String(row[k]))).join('|');
      for (const [col, v] of Object.entries(row)) {
        if (v === null || v === undefined || v instanceof Date) continue;
        const text = (typeof v === 'object' ? JSON.stringify(v) : String(v)).toLowerCase();
        for (const [needle, id] of needles) if (text.includes(needle)) found.add(`${table}|${key}|${id}|${col}`);
      }
    }
  }
  return found;
}

describe('planted truth', () => {
  it('matches an independent scan of every row', () => {
    const truth = new Set(base.refs.map((r) => `${r.table}|${r.key}|${r.indicator}|${r.column}`));
    const scanned = scan();
    expect([...scanned].filter((x) => !truth.has(x))).toEqual([]);
    expect([...truth].filter((x) => !scanned.has(x))).toEqual([]);
    expect(truth.size).toBe(base.refs.length);
  });

  it('covers every place the MDTI queries and TI-map rules look', () => {
    const places = new Set(base.refs.map((r) => `${r.table}.${r.column}`));
    for (const p of [
      'EmailUrlInfo.UrlDomain', 'UrlClickEvents.UrlChain', 'DeviceNetworkEvents.RemoteUrl', 'DeviceNetworkEvents.RemoteIP',
      'DeviceEvents.RemoteUrl', 'DeviceEvents.AdditionalFields', 'DeviceFileEvents.FileOriginUrl', 'DeviceFileEvents.FileOriginReferrerUrl',
      'DeviceFileEvents.SHA256', 'DeviceFileEvents.SHA1', 'IdentityQueryEvents.QueryTarget', 'DnsEvents.Name',
      'CommonSecurityLog.DestinationIP', 'EmailEvents.SenderFromAddress',
    ]) expect(places, p).toContain(p);
    // Both RemoteUrl forms of the phishing host.
    const remote = base.refs.filter((r) => r.table === 'DeviceNetworkEvents' && r.indicator === 'phish-domain' && r.column === 'RemoteUrl');
    expect(remote.some((r) => !rowOfRef(r).RemoteUrl!.toString().includes('//'))).toBe(true);
    expect(remote.some((r) => rowOfRef(r).RemoteUrl!.toString().includes('//'))).toBe(true);
  });

  it('is a small fraction, and every indicator shows up in the last hour of the window', () => {
    const planted = new Set(base.refs.map((r) => `${r.table}|${r.key}`));
    const events = [...base.rows].filter(([t]) => !t.startsWith('ThreatIntel')).reduce((s, [, rows]) => s + rows.length, 0);
    expect(planted.size / events).toBeLessThan(0.05);
    const lastHour = base.refs.filter((r) => Date.parse(r.time) >= END_MS - 3_600_000 && r.table === 'DeviceNetworkEvents');
    expect(new Set(lastHour.map((r) => r.indicator))).toEqual(
      new Set(defaultIndicators.filter((i) => !['sha1', 'sha256', 'email'].includes(i.kind)).map((i) => i.id)),
    );
    // Rules with a one-hour lookback on the other tables also find something.
    for (const t of ['DeviceEvents', 'DeviceFileEvents', 'IdentityQueryEvents', 'DnsEvents', 'CommonSecurityLog', 'UrlClickEvents', 'EmailUrlInfo']) {
      expect(base.refs.some((r) => r.table === t && Date.parse(r.time) >= END_MS - 3_600_000), t).toBe(true);
    }
  });
});

function rowOfRef(ref: TruthRef): Row {
  const row = rowsOf(ref.table).find((r) => String(r.ReportId) === ref.key);
  if (!row) throw new Error(`no row ${ref.key} in ${ref.table}`);
  return row;
}

describe('options', () => {
  it('rejects bad options with generate/bad-option', () => {
    for (const bad of [{ tables: ['Nope'] }, { rows: -1 }, { end: 'yesterday' }, { days: 0 }, { plant: { rate: 2 } }]) {
      try {
        resolveOptions(bad);
        expect.fail(`accepted ${JSON.stringify(bad)}`);
      } catch (e) {
        expect(e).toBeInstanceOf(QuarryError);
        expect((e as QuarryError).code).toBe('generate/bad-option');
      }
    }
  });

  it('spreads a budget exactly and defaults end to the current hour', () => {
    const r = resolveOptions({ rows: 10_001 }, new Date('2024-03-03T10:42:17Z'));
    let events = 0;
    for (const [t, n] of r.counts) if (!t.startsWith('ThreatIntel')) events += n;
    expect(events).toBe(10_001);
    expect(new Date(r.endMs).toISOString()).toBe('2024-03-03T10:00:00.000Z');
  });
});
