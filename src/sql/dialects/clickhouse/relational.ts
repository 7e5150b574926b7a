/**
 * ClickHouse relation-level forms (target: ClickHouse ≥ 23.8 SQL). No QUALIFY (window filters go
 * through a sub-select), `LIMIT 1 BY` for innerunique, `LEFT SEMI/ANTI JOIN`, tuples for arg_max,
 * `ARRAY JOIN` for mv-expand, `numbers()` for range. PIVOT and bag_unpack need a data-dependent
 * schema, which one ClickHouse statement cannot produce: they are reported as unsupported.
 */
import { QuarryError } from '../../../core/errors.js';
import type { RelationalSql } from '../../dialect.js';
import { microsToDatetime, nullableType, sqlString } from './literals.js';

const JOIN_KEYWORDS: Record<string, string> = {
  inner: 'INNER JOIN', innerunique: 'INNER JOIN', leftouter: 'LEFT JOIN', rightouter: 'RIGHT JOIN', fullouter: 'FULL OUTER JOIN',
  leftsemi: 'LEFT SEMI JOIN', leftanti: 'LEFT ANTI JOIN', rightsemi: 'LEFT SEMI JOIN', rightanti: 'LEFT ANTI JOIN',
};

/** JSON text of each element of a dynamic array, strings unquoted. */
export const jsonElementsText = (j: string): string =>
  `arrayMap(e -> if(JSONType(e) = 'String', JSONExtractString(e), e), JSONExtractArrayRaw(coalesce(${j}, '')))`;

export const clickhouseRelational: RelationalSql = {
  cte: (name, sql) => `${name} AS (\n${sql}\n)`,
  cteBody: (body) => (body.startsWith('(') ? `SELECT * FROM (${body})` : body),
  windowFilter: (from, predicate) => `SELECT * EXCEPT (__kql_keep) FROM (SELECT *, ${predicate} AS __kql_keep FROM ${from}) WHERE __kql_keep`,
  firstPerKey: (sql, alias, keys) => `SELECT * FROM (${sql}) AS ${alias} LIMIT 1 BY ${keys.join(', ')}`,
  joinKeyword: (kind) => JOIN_KEYWORDS[kind]!,
  joinAlways: () => '1 = 1',
  argExtremeTuple: (fn, fields, by) => `${fn === 'arg_max' ? 'argMax' : 'argMin'}(tuple(${fields.join(', ')}), ${by})`,
  tupleField: (tuple, index) => `tupleElement(${tuple}, ${index + 1})`,
  // numbers() needs a non-null count: a null bound (e.g. a scalar sub-query over no rows) is an empty range.
  range(name, type, from, to, step) {
    if (type === 'datetime') {
      const f = `toUnixTimestamp64Micro(${from})`;
      const count = `toUInt64(coalesce(greatest(0, intDiv(toUnixTimestamp64Micro(${to}) - ${f}, ${step}) + 1), 0))`;
      return `SELECT ${microsToDatetime(`toInt64(${f} + number * ${step})`)} AS ${name} FROM numbers(${count})`;
    }
    if (type === 'real' || type === 'decimal') {
      const count = `toUInt64(coalesce(greatest(0, floor((toFloat64(${to}) - toFloat64(${from})) / toFloat64(${step})) + 1), 0))`;
      return `SELECT toFloat64(${from}) + number * toFloat64(${step}) AS ${name} FROM numbers(${count})`;
    }
    const count = `toUInt64(coalesce(greatest(0, intDiv(toInt64(${to}) - toInt64(${from}), toInt64(${step})) + 1), 0))`;
    return `SELECT CAST(toInt64(${from}) + toInt64(number) * toInt64(${step}) AS ${nullableType(type)}) AS ${name} FROM numbers(${count})`;
  },
  values: (columns, rows) => rows
    .map((r) => `SELECT ${r.map((v, i) => `${v} AS ${columns[i]!.sql}`).join(', ')}`)
    .join(' UNION ALL '),
  valuesAsText(column, dynamic, from) {
    if (!dynamic) return `SELECT toString(${column}) AS v FROM ${from}`;
    return `SELECT arrayJoin(${jsonElementsText(column)}) AS v FROM ${from}`;
  },
  listAsJson: (column, dynamic, from) => (dynamic
    ? `(SELECT concat('[', arrayStringConcat(arrayFlatten(groupArray(JSONExtractArrayRaw(coalesce(${column}, '[]')))), ','), ']') FROM ${from})`
    : `(SELECT toJSONString(groupArray(${column})) FROM ${from})`),
  listHead: (list, n) => `arraySlice(${list}, 1, ${n})`,
  expandLists(from, alias, count, withIndex, q) {
    // ARRAY JOIN needs equal lengths: pad every list to the longest (Kusto pads with null).
    const lists = Array.from({ length: count }, (_, i) => q(`__mvl${i}`));
    const longest = count > 1 ? `greatest(${lists.map((l) => `length(${l})`).join(', ')})` : '';
    const joins = lists.map((l, i) => `${count > 1 ? `arrayResize(CAST(${l} AS Array(Nullable(String))), ${longest})` : l} AS ${q(`__mv${i}`)}`);
    if (withIndex) joins.push(`arrayEnumerate(${lists[0]}) AS ${q('__mvidx1')}`);
    const idx = withIndex ? `, ${q('__mvidx1')} - 1 AS ${q('__mvidx')}` : '';
    return `SELECT ${alias}.*, ${lists.map((_, i) => q(`__mv${i}`)).join(', ')}${idx} FROM (${from}) AS ${alias} ARRAY JOIN ${joins.join(', ')}`;
  },
  // CTEs are inlined at each reference: number rows by their content so both reads agree (identical rows
  // are interchangeable, so their tie order does not matter).
  rowIdentity: () => 'toInt64(row_number() OVER (ORDER BY cityHash64(*)))',
  window(fn, a, over) {
    const whole = `${over} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING`;
    switch (fn) {
      case 'row_number':
        return `(toInt64(row_number() OVER (${over})) - 1 + ${a[0] ?? '1'})`;
      case 'prev':
        return `lagInFrame(toNullable(${a[0]}), ${a[1] ?? '1'}${a[2] ? `, ${a[2]}` : ''}) OVER (${whole})`;
      case 'next':
        return `leadInFrame(toNullable(${a[0]}), ${a[1] ?? '1'}${a[2] ? `, ${a[2]}` : ''}) OVER (${whole})`;
      case 'row_cumsum':
        return `sum(${a[0]}) OVER (${over} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`;
      case 'row_rank_dense':
        return `toInt64(dense_rank() OVER (ORDER BY ${a[0]}))`;
      case 'row_rank_min':
        return `toInt64(rank() OVER (ORDER BY ${a[0]}))`;
      default:
        return null;
    }
  },
  pivot() {
    throw new QuarryError('kql/unsupported', 'evaluate pivot() needs a data-dependent schema, which the ClickHouse dialect cannot produce in one statement');
  },
  bagUnpack() {
    throw new QuarryError('kql/unsupported', 'evaluate bag_unpack() needs a data-dependent schema, which the ClickHouse dialect cannot produce in one statement');
  },
};

export { sqlString };
