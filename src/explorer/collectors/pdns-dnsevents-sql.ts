/**
 * Passive DNS from Sentinel `DnsEvents`, set-based: the events never leave DuckDB. Per event the work is SQL
 * (collapse identical events, split `IPAddresses` into tokens, join, GROUP BY with min/max/count straight
 * into the merge's staging tables); JavaScript only sees each *distinct* query name and answer token once, to apply the exact
 * normalisation and address test the row-by-row path uses (`normaliseHost`, Node's `isIP`,
 * `registeredDomain`), and hands those back as two small mapping tables. The result is the same edges as
 * feeding every event through `PdnsAggregator` (the collectors test compares both).
 *
 * DnsEvents answers are addresses only (`IPAddresses`), so there are no CNAME chains here: A/AAAA queries
 * (and untyped ones) give `name → address` resolutions, MX/NS/TXT/SOA/SRV queries give DNS records with the
 * address as value, PTR queries give nothing (a PTR answer is a name).
 */
import type { SqlParam, Store } from '../../store/store.js';
import { datasets } from '../datasets.js';
import { isIpAddress, normaliseHost, registeredDomain } from '../hostnames.js';
import { ensureExplorerIndexes } from '../indexes.js';
import { batchDone, mergeStage, openStage, type MergeResult, type Tx } from '../merge.js';

/** JavaScript's `\s` (what the row path splits `IPAddresses` on, with `,` and `;`) in RE2 syntax. */
const TOKEN_SEPARATORS = String.raw`[\t\n\x{0B}\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF},;]+`;
const DNS_TYPES = "('MX', 'NS', 'TXT', 'SOA', 'SRV')";
const SOURCE = 'DnsEvents';

const where = `TimeGenerated > $1 AND coalesce(SubType, 'LookupQuery') = 'LookupQuery' AND Name IS NOT NULL`;

/** Fills the two mapping tables from the distinct names and tokens of the exploded events. */
async function mapDistinct(tx: Tx): Promise<void> {
  await tx.exec('CREATE TABLE IF NOT EXISTS _xpdns_names (raw VARCHAR, host VARCHAR, domain VARCHAR)');
  await tx.exec('CREATE TABLE IF NOT EXISTS _xpdns_tokens (tok VARCHAR, addr VARCHAR, rt VARCHAR)');
  await tx.exec('DELETE FROM _xpdns_names');
  await tx.exec('DELETE FROM _xpdns_tokens');
  const names = await tx.query('SELECT DISTINCT name FROM _xpdns_ev');
  await tx.append(
    '_xpdns_names',
    names.rows.map(([raw]) => {
      const host = normaliseHost(String(raw));
      // As `subdomainRowsFrom`: a name under a registered domain, not the domain itself, not an address.
      const domain = host && !isIpAddress(host) ? registeredDomain(host) : '';
      return { raw, host, domain: domain && domain !== host && host.includes('.') ? domain : null };
    }),
  );
  const toks = await tx.query('SELECT DISTINCT tok FROM _xpdns_ev');
  const addrs: Record<string, unknown>[] = [];
  for (const [tok] of toks.rows as [string][]) {
    // The row path keeps tokens that are addresses as written, then normalises them (lowercase IPv6).
    if (!isIpAddress(tok)) continue;
    const addr = normaliseHost(tok);
    addrs.push({ tok, addr, rt: addr.includes(':') ? 'AAAA' : 'A' });
  }
  await tx.append('_xpdns_tokens', addrs);
}

const count = async (tx: Tx, table: string) => Number((await tx.query(`SELECT count(*) FROM ${table}`)).rows[0]![0]);

/** Collects DnsEvents newer than `since` (the watermark); returns how many events were read. */
export async function collectDnsEventsSql(store: Store, since: string): Promise<{ events: number; merged: MergeResult[] }> {
  const params: SqlParam[] = [since];
  const head = await store.query(`SELECT count(*), max(epoch_us(TimeGenerated)) FROM DnsEvents WHERE ${where}`, { params });
  const events = Number(head.rows[0]![0]);
  if (events === 0) return { events: 0, merged: [] };
  const max = head.rows[0]![1] as bigint;
  await ensureExplorerIndexes(store);
  const batch = (d: string) => `${SOURCE}:${since}:${max}:${d}`;
  return store.transaction(async (tx) => {
    // Identical events (same name, type and answer text) collapse first — telemetry repeats them endlessly — so
    // the answers are split once per distinct answer set, not once per event. Each token then stands for `n`
    // events over [first, last].
    await tx.exec(
      `CREATE OR REPLACE TEMP TABLE _xpdns_ev AS
       WITH g AS (
         SELECT Name AS name, upper(coalesce(QueryType, 'A')) AS qt, coalesce(IPAddresses, '') AS ips,
                min(epoch_us(TimeGenerated)) AS first, max(epoch_us(TimeGenerated)) AS last, count(*) AS n
         FROM DnsEvents WHERE ${where} AND TimeGenerated <= make_timestamp(${max}) GROUP BY ALL)
       SELECT name, qt, first, last, n, unnest(regexp_split_to_array(ips, '${TOKEN_SEPARATORS}')) AS tok FROM g`,
      params,
    );
    await mapDistinct(tx);
    const edges = `FROM _xpdns_ev e JOIN _xpdns_names n ON n.raw = e.name JOIN _xpdns_tokens t ON t.tok = e.tok WHERE n.host <> ''`;
    const seen = `make_timestamp(min(e.first)), make_timestamp(max(e.last)), sum(e.n)::BIGINT, '${SOURCE}'`;
    const merged: MergeResult[] = [];
    const res = await openStage(tx, datasets.resolutions);
    const dns = await openStage(tx, datasets.dns);
    const sub = await openStage(tx, datasets.subdomains);
    await tx.exec(
      `INSERT INTO ${res} (Host, Resolve, RecordType, ResolveKind, FirstSeen, LastSeen, SeenCount, Source)
       SELECT n.host, t.addr, t.rt, 'ip', ${seen} ${edges} AND e.qt NOT IN ${DNS_TYPES} AND e.qt <> 'PTR' GROUP BY n.host, t.addr, t.rt`,
    );
    await tx.exec(
      `INSERT INTO ${dns} (Host, RecordType, Value, FirstSeen, LastSeen, SeenCount, Source)
       SELECT n.host, e.qt, CASE WHEN e.qt = 'TXT' THEN t.tok ELSE t.addr END AS v, ${seen} ${edges} AND e.qt IN ${DNS_TYPES} GROUP BY n.host, e.qt, v`,
    );
    // Subdomains from the resolution edges: one observation per edge, over its interval.
    await tx.exec(
      `INSERT INTO ${sub} (Domain, Hostname, FirstSeen, LastSeen, SeenCount, Source)
       SELECT n.domain, r.Host, min(r.FirstSeen), max(r.LastSeen), count(*), '${SOURCE}'
       FROM ${res} r JOIN (SELECT DISTINCT host, domain FROM _xpdns_names WHERE domain IS NOT NULL) n ON n.host = r.Host GROUP BY n.domain, r.Host`,
    );
    for (const [spec, stage] of [[datasets.resolutions, res], [datasets.dns, dns], [datasets.subdomains, sub]] as const) {
      const rows = await count(tx, stage);
      const id = batch(spec.name);
      if (rows === 0) merged.push({ dataset: spec.name, observations: 0, edges: 0, skipped: false, batchId: id });
      else if (await batchDone(tx, id)) merged.push({ dataset: spec.name, observations: rows, edges: 0, skipped: true, batchId: id });
      else merged.push(await mergeStage(tx, spec, id, rows));
    }
    await tx.exec('DROP TABLE _xpdns_ev');
    await tx.exec(
      'INSERT INTO _explorer_watermarks (source, watermark) VALUES ($1, make_timestamp($2)) ON CONFLICT (source) DO UPDATE SET watermark = excluded.watermark, updated_at = now()::TIMESTAMP',
      [SOURCE, max],
    );
    return { events, merged };
  });
}
