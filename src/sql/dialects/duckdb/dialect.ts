/**
 * The DuckDB dialect: capability flags, literals, types, and every KQL function template, merged from
 * the per-family files. Later entries do not silently override earlier ones (a duplicate name is a bug).
 */
import type { KqlScalarType } from '../../../catalog/types.js';
import type { AggregateFnImpl, Dialect, LiteralValue, RelationalSql, ScalarFnImpl } from '../../dialect.js';
import { aggregates } from './aggregates.js';
import { coreFunctions, corePrelude } from './functions-core.js';
import { convertFunctions } from './functions-convert.js';
import { datetimeFunctions } from './functions-datetime.js';
import { dynamicFunctions } from './functions-dynamic.js';
import { ipFunctions } from './functions-ip.js';
import { miscFunctions } from './functions-misc.js';
import { pathFunctions, pathPrelude } from './functions-path.js';
import { seriesAggregates, seriesFunctions, seriesPrelude } from './functions-series.js';
import { operatorFunctions } from './functions-operators.js';
import { stringFunctions } from './functions-string.js';
import { quoteIdentifier, renderLiteral } from './literals.js';
import { preludeA } from './prelude-a.js';
import { preludeB } from './prelude-b.js';
import { duckdbTypeOf } from './types.js';
import { duckdbRewriteCall } from './rewrites.js';

function merge(parts: Record<string, Record<string, ScalarFnImpl>>): Record<string, ScalarFnImpl> {
  const out: Record<string, ScalarFnImpl> = {};
  const owner: Record<string, string> = {};
  for (const [part, fns] of Object.entries(parts)) {
    for (const [name, impl] of Object.entries(fns)) {
      if (out[name] && owner[name] !== part) {
        // Duplicate definitions across families: keep the first, which is the more specific owner.
        continue;
      }
      out[name] = impl;
      owner[name] = part;
    }
  }
  return out;
}

const functions = merge({
  core: coreFunctions,
  operators: operatorFunctions,
  string: stringFunctions,
  convert: convertFunctions,
  datetime: datetimeFunctions,
  dynamic: dynamicFunctions,
  ip: ipFunctions,
  misc: miscFunctions,
  path: pathFunctions,
  series: seriesFunctions,
});

/** DuckDB's relation-level forms (QUALIFY, SEMI/ANTI JOIN, PIVOT, struct_pack, unnest …). */
export const duckdbRelational: RelationalSql = {
  cte: (name, sql, materialized) => `${name} AS ${materialized ? 'MATERIALIZED ' : ''}(\n${sql}\n)`,
  cteBody: (body) => body,
  windowFilter: (from, predicate) => `SELECT * FROM ${from} QUALIFY ${predicate}`,
  firstPerKey: (sql, alias, keys) => `SELECT * FROM (${sql}) AS ${alias} QUALIFY row_number() OVER (PARTITION BY ${keys.join(', ')}) = 1`,
  joinKeyword: (kind) => JOIN_KEYWORDS[kind]!,
  joinAlways: () => 'TRUE',
  argExtremeTuple: (fn, fields, by) => `${fn}(struct_pack(${fields.map((f, i) => `${quoteIdentifier(`f${i}`)} := ${f}`).join(', ')}), ${by})`,
  tupleField: (tuple, index) => `${tuple}.${quoteIdentifier(`f${index}`)}`,
  range(name, type, from, to, step, next) {
    if (type === 'datetime') {
      return `SELECT make_timestamp(generate_series) AS ${name} FROM generate_series(epoch_us(${from}), epoch_us(${to}), ${step})`;
    }
    if (type === 'real' || type === 'decimal') {
      return `SELECT CAST(${from} AS DOUBLE) + i * CAST(${step} AS DOUBLE) AS ${name} FROM range(0, CAST(floor((CAST(${to} AS DOUBLE) - CAST(${from} AS DOUBLE)) / CAST(${step} AS DOUBLE)) AS BIGINT) + 1) AS ${next()}(i)`;
    }
    return `SELECT CAST(generate_series AS ${duckdbTypeOf[type]}) AS ${name} FROM generate_series(${from}, ${to}, ${step})`;
  },
  values: (columns, rows, next) => `SELECT * FROM (VALUES ${rows.map((r) => `(${r.join(', ')})`).join(', ')}) AS ${next()}(${columns.map((c) => c.sql).join(', ')})`,
  valuesAsText(column, dynamic, from, elementsText) {
    if (!dynamic) return `SELECT CAST(${column} AS VARCHAR) AS v FROM ${from}`;
    return `SELECT unnest(v) AS v FROM (SELECT ${elementsText(column)} AS v FROM ${from})`;
  },
  listAsJson: (column, dynamic, from) => (dynamic
    ? `(SELECT to_json(flatten(list(CAST(${column} AS JSON[])))) FROM ${from})`
    : `(SELECT to_json(list(${column})) FROM ${from})`),
  listHead: (list, n) => `list_slice(${list}, 1, ${n})`,
  expandLists(from, alias, count, withIndex, q) {
    const unnests = Array.from({ length: count }, (_, i) => `unnest(${alias}.${q(`__mvl${i}`)}) AS ${q(`__mv${i}`)}`);
    if (withIndex) unnests.push(`unnest(range(len(${alias}.${q('__mvl0')}))) AS ${q('__mvidx')}`);
    return `SELECT ${alias}.*, ${unnests.join(', ')} FROM (${from}) AS ${alias}`;
  },
  window(fn, a, over) {
    switch (fn) {
      case 'row_number':
        return `(row_number() OVER (${over}) - 1 + ${a[0] ?? '1'})`;
      case 'prev':
        return `lag(${a[0]}, ${a[1] ?? '1'}${a[2] ? `, ${a[2]}` : ''}) OVER (${over})`;
      case 'next':
        return `lead(${a[0]}, ${a[1] ?? '1'}${a[2] ? `, ${a[2]}` : ''}) OVER (${over})`;
      case 'row_cumsum':
        return `sum(${a[0]}) OVER (${over} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`;
      case 'row_rank_dense':
        return `dense_rank() OVER (ORDER BY ${a[0]})`;
      case 'row_rank_min':
        return `rank() OVER (ORDER BY ${a[0]})`;
      default:
        return null;
    }
  },
  pivot: (input, column, using, groupBy) => `SELECT * FROM (PIVOT (${input}) ON ${column} USING ${using}${groupBy.length > 0 ? ` GROUP BY ${groupBy.join(', ')}` : ''})`,
  bagUnpack(src, input, column, prefix, next) {
    const key = prefix ? `${renderLiteral(prefix, 'string')} || k` : 'k';
    return `WITH ${src} AS MATERIALIZED (SELECT row_number() OVER () AS __rid, * FROM (${input})) `
      + `SELECT * EXCLUDE (__rid) FROM (SELECT * EXCLUDE (${column}) FROM ${src}) AS ${next()} LEFT JOIN `
      + `(PIVOT (SELECT __rid, ${key} AS k, json_extract(${column}, '$."' || replace(k, '"', '\\"') || '"') AS v FROM ${src}, unnest(json_keys(${column})) AS ${next()}(k)) ON k USING first(v) GROUP BY __rid) AS ${next()} USING (__rid)`;
  },
};

const JOIN_KEYWORDS: Record<string, string> = {
  inner: 'INNER JOIN', innerunique: 'INNER JOIN', leftouter: 'LEFT JOIN', rightouter: 'RIGHT JOIN', fullouter: 'FULL OUTER JOIN',
  leftsemi: 'SEMI JOIN', leftanti: 'ANTI JOIN', rightsemi: 'SEMI JOIN', rightanti: 'ANTI JOIN',
};

export const duckdbPrelude: readonly string[] = [...preludeB, ...preludeA, ...corePrelude, ...pathPrelude, ...seriesPrelude];

export const duckdbDialect: Dialect = {
  name: 'duckdb',
  flags: {
    supportsQualify: true,
    supportsAggregateFilter: true,
    supportsStarExclude: true,
    supportsLateralUnnest: true,
    supportsArgMax: true,
    argExtremeConsistent: true,
  },
  quoteIdentifier,
  paramDatetime: (index: number) => `make_timestamp(CAST($${index} AS BIGINT))`,
  literal: (value: LiteralValue, type: KqlScalarType) => renderLiteral(value, type),
  sqlType: (type: KqlScalarType) => duckdbTypeOf[type],
  functions,
  aggregates: { ...aggregates, ...seriesAggregates } as Record<string, AggregateFnImpl>,
  rewriteCall: duckdbRewriteCall,
  prelude: duckdbPrelude,
  relational: duckdbRelational,
};
