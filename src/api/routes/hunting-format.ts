/**
 * Hunting results on the wire. Graph's `huntingQueryResults` and the legacy Defender response name column
 * types with .NET type names (the docs show `DateTime` and `String`; the rest follow Kusto's .NET mapping:
 * long → Int64, int → Int32, real → Double, bool → Boolean, dynamic → Object, timespan → TimeSpan,
 * guid → Guid, decimal → Decimal). Bodies are produced as a stream of chunks — rows are serialised a few
 * hundred at a time with `stringifyExact`, so 64-bit longs stay exact and a 100,000-row answer never
 * exists as one giant string.
 */
import { Readable } from 'node:stream';
import type { KqlScalarType } from '../../catalog/types.js';
import { stringifyExact } from '../../core/json.js';
import type { HuntResult } from '../../hunt/run.js';

export const graphTypeNames: Record<KqlScalarType, string> = {
  string: 'String',
  long: 'Int64',
  int: 'Int32',
  real: 'Double',
  decimal: 'Decimal',
  bool: 'Boolean',
  datetime: 'DateTime',
  timespan: 'TimeSpan',
  guid: 'Guid',
  dynamic: 'Object',
};

const ROWS_PER_CHUNK = 500;

/** `{<head fields>, "<rowsKey>": [rows…]<, tail fields>}` as a stream of JSON text chunks. */
export function streamJsonObject(head: Record<string, unknown>, rowsKey: string, rows: readonly unknown[], tail: Record<string, unknown> = {}): Readable {
  function* chunks(): Generator<string> {
    const headText = stringifyExact(head);
    yield (headText === '{}' ? '{' : headText.slice(0, -1) + ',') + JSON.stringify(rowsKey) + ':[';
    for (let i = 0; i < rows.length; i += ROWS_PER_CHUNK) {
      const part = rows.slice(i, i + ROWS_PER_CHUNK).map((r) => stringifyExact(r)).join(',');
      yield (i > 0 ? ',' : '') + part;
    }
    const tailText = stringifyExact(tail);
    yield ']' + (tailText === '{}' ? '}' : ',' + tailText.slice(1));
  }
  return Readable.from(chunks(), { objectMode: false });
}

export function graphBody(r: HuntResult, context: string): Readable {
  return streamJsonObject(
    { '@odata.context': context, schema: r.schema.map((c) => ({ name: c.name, type: graphTypeNames[c.type] })) },
    'results',
    r.results,
  );
}

export function legacyBody(r: HuntResult, elapsedMs: number): Readable {
  const stats = {
    ExecutionTime: Math.round(elapsedMs) / 1000,
    resource_usage: { cpu: { 'total cpu': msToTimespan(elapsedMs) }, memory: { peak_per_node: process.memoryUsage().rss } },
    dataset_statistics: [{ table_row_count: r.results.length }],
    // Quarry additions: compile/execute split and whether the row cap cut the result.
    quarry: { compileMs: round(r.stats.compileMs), executeMs: round(r.stats.executeMs), truncated: r.truncated },
  };
  return streamJsonObject({ Stats: stats, Schema: r.schema.map((c) => ({ Name: c.name, Type: graphTypeNames[c.type] })) }, 'Results', r.results);
}

export function portalBody(r: HuntResult, queryId: string): Readable {
  return streamJsonObject(
    { queryId, schema: r.schema, ...(r.render ? { render: r.render } : {}) },
    'results',
    r.results,
    { stats: { compileMs: round(r.stats.compileMs), executeMs: round(r.stats.executeMs), rows: r.results.length, truncated: r.truncated }, view: r.view },
  );
}

const round = (ms: number) => Math.round(ms * 100) / 100;

function msToTimespan(ms: number): string {
  const total = Math.max(0, ms);
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const s = (total % 60_000) / 1000;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${s.toFixed(7).padStart(10, '0')}`;
}
