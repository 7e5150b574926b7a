/**
 * ClickHouse DDL for catalog tables: MergeTree ordered by (time, entity), partitioned by day, with a
 * TTL for retention; optionally one local table per shard behind a `Distributed` table on a cluster.
 * Strings are non-nullable (Kusto reads null strings as ""); other types are Nullable, except the
 * time column, which is the sort key.
 */
import type { KqlScalarType } from '../../catalog/types.js';
import { quoteIdentifier } from '../../sql/dialects/clickhouse/literals.js';
import type { PhysicalTable } from '../catalog-sync.js';

export interface TableLayout {
  /** Days of retention (TTL on the time column); none: keep forever. */
  readonly retentionDays?: number;
  /** Cluster name from the server's `remote_servers` config: creates `<t>_local` on each shard and `<t>` as Distributed. */
  readonly cluster?: string;
  /** The time column (sort key and partition key); absent for timeless tables. */
  readonly timeColumn?: string;
  /** Entity columns appended to the sort key after time. */
  readonly entityColumns?: readonly string[];
  /** Legacy servers (< 19.x) have no `Bool` and no `DateTime64`: UInt8 and DateTime plus an Int64 µs column are not emulated; use Int64/UInt8. */
  readonly legacy?: boolean;
}

function columnType(t: KqlScalarType, notNull: boolean, legacy: boolean): string {
  const base: Record<KqlScalarType, string> = {
    bool: legacy ? 'UInt8' : 'Bool',
    datetime: legacy ? 'DateTime' : "DateTime64(6, 'UTC')",
    decimal: 'Float64', real: 'Float64', dynamic: 'String', guid: 'String', string: 'String',
    int: 'Int32', long: 'Int64', timespan: 'Int64',
  };
  const stringy = t === 'string' || t === 'guid' || t === 'dynamic';
  return notNull || stringy ? base[t] : `Nullable(${base[t]})`;
}

/** CREATE TABLE statements (in order) for one catalog table. */
export function createTableSql(table: PhysicalTable, layout: TableLayout = {}): string[] {
  const q = quoteIdentifier;
  const legacy = layout.legacy ?? false;
  const time = layout.timeColumn && table.columns.some((c) => c.name === layout.timeColumn) ? layout.timeColumn : undefined;
  // A sort key may not repeat a column (catalogs list one column under several entity kinds).
  const entities = [...new Set(layout.entityColumns ?? [])]
    .filter((e) => e !== time && table.columns.some((c) => c.name === e && (c.type === 'string' || c.type === 'guid')));
  const cols = table.columns.map((c) => `${q(c.name)} ${columnType(c.type, c.name === time, legacy)}`).join(', ');
  const orderBy = time ? [q(time), ...entities.map(q)] : entities.length > 0 ? entities.map(q) : [];
  const partition = time ? ` PARTITION BY toYYYYMMDD(${q(time)})` : '';
  const ttl = time && layout.retentionDays ? ` TTL ${legacy ? q(time) : `toDateTime(${q(time)})`} + INTERVAL ${Math.trunc(layout.retentionDays)} DAY` : '';
  const settings = legacy ? '' : ' SETTINGS non_replicated_deduplication_window = 1000';
  const engine = `ENGINE = MergeTree${partition} ORDER BY (${orderBy.join(', ') || 'tuple()'})${ttl}${settings}`;
  if (!layout.cluster) return [`CREATE TABLE IF NOT EXISTS ${q(table.name)} (${cols}) ${engine}`];
  const local = `${table.name}_local`;
  const shardKey = entities.length > 0 ? `cityHash64(${q(entities[0]!)})` : 'rand()';
  return [
    `CREATE TABLE IF NOT EXISTS ${q(local)} ON CLUSTER ${q(layout.cluster)} (${cols}) ${engine}`,
    `CREATE TABLE IF NOT EXISTS ${q(table.name)} ON CLUSTER ${q(layout.cluster)} AS ${q(local)} ENGINE = Distributed(${q(layout.cluster)}, currentDatabase(), ${q(local)}, ${shardKey})`,
  ];
}
