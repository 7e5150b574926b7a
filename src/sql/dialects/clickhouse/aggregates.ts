/**
 * KQL aggregates as ClickHouse SQL. Kusto skips nulls in aggregates (ClickHouse does too for Nullable
 * arguments); `count()` counts rows; `dcount` is exact here (`uniqExact`), which is within Kusto's
 * documented error bound; `make_set`/`make_list` build JSON arrays.
 */
import type { AggregateFnImpl, FnArg } from '../../dialect.js';
import { isStringy, jsonOf, toRealSql } from './convert.js';

const cond = (a: FnArg | undefined): string => (a ? `coalesce(${a.sql}, false)` : 'true');
const jsonArray = (items: string): string => `concat('[', arrayStringConcat(${items}, ','), ']')`;
/** Values for make_set/make_list: JSON texts of non-null values (strings count even when empty). */
const elem = (a: FnArg): string => (isStringy(a.type) ? jsonOf(a) : `if(${a.sql} IS NULL, NULL, ${jsonOf(a)})`);
const limit = (a: FnArg | undefined): string => (a ? `(${a.sql})` : '');

/** Nearest-rank percentile: the value at rank ceil(p/100 × n) of the sorted non-null values (as on DuckDB). */
function percentile(x: FnArg, p: FnArg): string {
  return `if(count(${x.sql}) = 0, NULL, arraySort(groupArray(${x.sql}))[greatest(1, toInt64(ceil(toFloat64(${p.sql}) / 100. * count(${x.sql}))))])`;
}

/** Property bags merged across rows; the first value of a key wins; non-bags are skipped. */
function makeBag(x: FnArg, max: FnArg | undefined, pred?: FnArg): string {
  const j = `coalesce(${x.sql}, '')`;
  const entries = `arrayMap(k -> (k, JSONExtractRaw(${j}, k)), if(JSONType(${j}) = 'Object', JSONExtractKeys(${j}), []))`;
  const all = `arrayFlatten(${pred ? `groupArrayIf(${entries}, ${cond(pred)})` : `groupArray(${entries})`})`;
  const limited = max ? `arraySlice(${all}, 1, toInt64(${max.sql}))` : all;
  const first = `arrayFilter((e, i) -> indexOf(arrayMap(y -> y.1, __e), e.1) = i, __e, arrayEnumerate(__e))`;
  return `arrayMap(__e -> concat('{', arrayStringConcat(arrayMap(e -> concat(toJSONString(e.1), ':', e.2), ${first}), ','), '}'), [${limited}])[1]`;
}

export const aggregates: Record<string, AggregateFnImpl> = {
  count: (a) => (a.length === 0 ? 'toInt64(count())' : `toInt64(count(${a[0]!.sql}))`),
  countif: (a) => `toInt64(countIf(${cond(a[0])}))`,
  dcount: (a) => `toInt64(uniqExact(${a[0]!.sql}))`,
  dcountif: (a) => `toInt64(uniqExactIf(${a[0]!.sql}, ${cond(a[1])}))`,
  count_distinct: (a) => `toInt64(uniqExact(${a[0]!.sql}))`,
  sum: (a, ctx) => (ctx.resultType === 'real' || ctx.resultType === 'decimal' ? `sum(toFloat64(${a[0]!.sql}))` : `sum(toInt64(${a[0]!.sql}))`),
  sumif: (a, ctx) => (ctx.resultType === 'real' || ctx.resultType === 'decimal' ? `sumIf(toFloat64(${a[0]!.sql}), ${cond(a[1])})` : `sumIf(toInt64(${a[0]!.sql}), ${cond(a[1])})`),
  avg: (a) => `avg(${toRealSql(a[0]!)})`,
  avgif: (a) => `avgIf(${toRealSql(a[0]!)}, ${cond(a[1])})`,
  min: (a) => (isStringy(a[0]!.type) ? `min(nullIf(${a[0]!.sql}, ''))` : `min(${a[0]!.sql})`),
  max: (a) => (isStringy(a[0]!.type) ? `max(nullIf(${a[0]!.sql}, ''))` : `max(${a[0]!.sql})`),
  minif: (a) => `minIf(${a[0]!.sql}, ${cond(a[1])})`,
  maxif: (a) => `maxIf(${a[0]!.sql}, ${cond(a[1])})`,
  make_set: (a) => jsonArray(`groupUniqArray${limit(a[1])}(${elem(a[0]!)})`),
  make_set_if: (a) => jsonArray(`groupUniqArrayIf${limit(a[2])}(${elem(a[0]!)}, ${cond(a[1])})`),
  make_list: (a) => jsonArray(`groupArray${limit(a[1])}(${elem(a[0]!)})`),
  make_list_if: (a) => jsonArray(`groupArrayIf${limit(a[2])}(${elem(a[0]!)}, ${cond(a[1])})`),
  arg_max: (a) => `argMax(${a[0]!.sql}, ${a[1]!.sql})`,
  arg_min: (a) => `argMin(${a[0]!.sql}, ${a[1]!.sql})`,
  take_any: (a) => `any(${a[0]!.sql})`,
  any: (a) => `any(${a[0]!.sql})`,
  take_anyif: (a) => `anyIf(${a[0]!.sql}, ${cond(a[1])})`,
  percentile: (a) => percentile(a[0]!, a[1]!),
  percentiles: (a) => percentile(a[0]!, a[1]!),
  make_bag: (a) => makeBag(a[0]!, a[1]),
  make_bag_if: (a) => makeBag(a[0]!, a[2], a[1]),
  stdev: (a) => `stddevSamp(${toRealSql(a[0]!)})`,
  stdevp: (a) => `stddevPop(${toRealSql(a[0]!)})`,
  variance: (a) => `varSamp(${toRealSql(a[0]!)})`,
  variancep: (a) => `varPop(${toRealSql(a[0]!)})`,
};
