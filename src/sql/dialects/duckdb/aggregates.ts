/**
 * KQL aggregates as DuckDB SQL. Arguments arrive rendered; the `…if` forms take the predicate as
 * their last-but-optional argument, exactly as in KQL (`countif(p)`, `sumif(x, p)`, `make_set_if(x, p[, max])`).
 *
 * Kusto semantics kept here:
 * - nulls are ignored; a string NULL reads as "" (so `dcount` and `make_set` of a string column count "");
 * - on no rows `count`, `countif`, `dcount*`, `sum*`, `stdev*`, `variance*` are 0 and `make_*` are `[]`/`{}`;
 * - `avg` is real; `sum` of long is long (DuckDB's HUGEINT is cast back);
 * - `make_set` expands dynamic arrays into their elements (documented); `make_list` does not.
 *
 * Deliberate differences: `dcount` is exact (`count(DISTINCT …)`), Kusto's is an HLL estimate, so
 * small counts match and large ones are "more right"; `percentile` is the exact nearest-rank value
 * (Kusto estimates nearest-rank with t-digest); set/list order is unspecified in both.
 *
 * `arg_max(by, col)` / `arg_min(by, col)` render the value of `col` on the row with the max/min `by`
 * (null `by` rows ignored, a null `col` on that row kept). The compiler expands `arg_max(by, *)` into
 * one call per output column; for ties, separate calls may pick different rows — see the report.
 */
import type { AggregateContext, AggregateFnImpl, FnArg } from '../../dialect.js';
import { jsonOf } from './functions-dynamic.js';
import { arity, castTo, unsupported } from './functions-misc.js';

/** `FILTER (WHERE …)` for the predicate of an `…if` aggregate, combined with an extra condition. */
function filter(...conds: (string | undefined)[]): string {
  const c = conds.filter((x): x is string => !!x);
  return c.length === 0 ? '' : ` FILTER (WHERE ${c.join(' AND ')})`;
}

/** Value compared by distinct counts: strings with NULL read as "". */
const distinctValue = (a: FnArg) => (a.type === 'string' || a.type === 'guid' ? `coalesce(${a.sql}, '')` : a.sql);

const maxSizeOf = (a: FnArg | undefined, dflt = 1048576) => (a ? `CAST(${a.sql} AS BIGINT)` : String(dflt));

function countDistinct(x: FnArg, pred?: string): string {
  return `count(DISTINCT ${distinctValue(x)})${filter(pred)}`;
}

function sum(x: FnArg, ctx: AggregateContext, pred?: string): string {
  return castTo(`coalesce(sum(${x.sql})${filter(pred)}, 0)`, ctx.resultType);
}

function minMax(fn: 'min' | 'max', x: FnArg, pred?: string): string {
  return `${fn}(${distinctValue(x)})${filter(pred)}`;
}

function makeSet(x: FnArg, max: FnArg | undefined, pred?: string, dflt?: number): string {
  const j = jsonOf(x);
  if (x.type === 'dynamic') {
    // Arrays contribute their elements; JSON nulls are skipped.
    const elems = `flatten(list(CASE WHEN json_type(${j}) = 'ARRAY' THEN json_extract(${j}, '$[*]') ELSE [${j}] END)${filter(`${j} IS NOT NULL`, pred)})`;
    return `coalesce(to_json(list_slice(list_filter(kql_list_distinct(${elems}), lambda e: e <> 'null'), 1, ${maxSizeOf(max, dflt)})), CAST('[]' AS JSON))`;
  }
  // A string is never null in Kusto (jsonOf reads NULL as ""); other types skip their nulls.
  const notNull = x.type === 'string' || x.type === 'guid' ? undefined : `${x.sql} IS NOT NULL`;
  return `coalesce(to_json(list_slice(list(DISTINCT ${j})${filter(notNull, pred)}, 1, ${maxSizeOf(max, dflt)})), CAST('[]' AS JSON))`;
}

function makeList(x: FnArg, max: FnArg | undefined, pred?: string, dflt?: number): string {
  const j = jsonOf(x);
  return `coalesce(to_json(list_slice(list(${j})${filter(`${j} IS NOT NULL`, pred)}, 1, ${maxSizeOf(max, dflt)})), CAST('[]' AS JSON))`;
}

function makeBag(x: FnArg, max: FnArg | undefined, pred?: string): string {
  const entries = `flatten(list(kql_bag_entries(${x.sql}))${filter(`json_type(${x.sql}) = 'OBJECT'`, pred)})`;
  const limited = max ? `list_slice(${entries}, 1, ${maxSizeOf(max)})` : entries;
  return `coalesce(kql_bag_from_entries(${limited}), CAST('{}' AS JSON))`;
}

/** Nearest-rank percentile: the value at rank ceil(p/100 × n) of the sorted non-null values. */
function percentile(x: FnArg, p: FnArg): string {
  return `list_sort(list(${x.sql})${filter(`${x.sql} IS NOT NULL`)})[greatest(1, CAST(ceil(CAST(${p.sql} AS DOUBLE) / 100.0 * count(${x.sql})) AS BIGINT))]`;
}

const zeroIfEmpty = (fn: string): AggregateFnImpl => (args, ctx) => {
  arity(args, ctx, 1);
  return `coalesce(${fn}(CAST(${args[0]!.sql} AS DOUBLE)), 0.0)`;
};
const zeroIfEmptyIf = (fn: string): AggregateFnImpl => (args, ctx) => {
  arity(args, ctx, 2);
  return `coalesce(${fn}(CAST(${args[0]!.sql} AS DOUBLE))${filter(args[1]!.sql)}, 0.0)`;
};

export const aggregates: Record<string, AggregateFnImpl> = {
  count: (args, ctx) => {
    arity(args, ctx, 0, 1);
    // count(x) counts non-null x; a string is never null in Kusto.
    const x = args[0];
    return !x || x.type === 'string' ? 'count(*)' : `count(${x.sql})`;
  },
  countif: (args, ctx) => { arity(args, ctx, 1); return `count(*)${filter(args[0]!.sql)}`; },
  dcount: (args, ctx) => { arity(args, ctx, 1, 2); return countDistinct(args[0]!); },
  dcountif: (args, ctx) => { arity(args, ctx, 2, 3); return countDistinct(args[0]!, args[1]!.sql); },
  count_distinct: (args, ctx) => { arity(args, ctx, 1); return countDistinct(args[0]!); },
  count_distinctif: (args, ctx) => { arity(args, ctx, 2); return countDistinct(args[0]!, args[1]!.sql); },
  sum: (args, ctx) => { arity(args, ctx, 1); return sum(args[0]!, ctx); },
  sumif: (args, ctx) => { arity(args, ctx, 2); return sum(args[0]!, ctx, args[1]!.sql); },
  avg: (args, ctx) => { arity(args, ctx, 1); return `avg(CAST(${args[0]!.sql} AS DOUBLE))`; },
  avgif: (args, ctx) => { arity(args, ctx, 2); return `avg(CAST(${args[0]!.sql} AS DOUBLE))${filter(args[1]!.sql)}`; },
  min: (args, ctx) => { arity(args, ctx, 1); return minMax('min', args[0]!); },
  max: (args, ctx) => { arity(args, ctx, 1); return minMax('max', args[0]!); },
  minif: (args, ctx) => { arity(args, ctx, 2); return minMax('min', args[0]!, args[1]!.sql); },
  maxif: (args, ctx) => { arity(args, ctx, 2); return minMax('max', args[0]!, args[1]!.sql); },
  make_set: (args, ctx) => { arity(args, ctx, 1, 2); return makeSet(args[0]!, args[1]); },
  make_set_if: (args, ctx) => { arity(args, ctx, 2, 3); return makeSet(args[0]!, args[2], args[1]!.sql); },
  make_list: (args, ctx) => { arity(args, ctx, 1, 2); return makeList(args[0]!, args[1]); },
  make_list_if: (args, ctx) => { arity(args, ctx, 2, 3); return makeList(args[0]!, args[2], args[1]!.sql); },
  make_bag: (args, ctx) => { arity(args, ctx, 1, 2); return makeBag(args[0]!, args[1]); },
  make_bag_if: (args, ctx) => { arity(args, ctx, 2, 3); return makeBag(args[0]!, args[2], args[1]!.sql); },
  arg_max: (args, ctx) => { arity(args, ctx, 2); return `arg_max_null(${args[1]!.sql}, ${args[0]!.sql})`; },
  arg_min: (args, ctx) => { arity(args, ctx, 2); return `arg_min_null(${args[1]!.sql}, ${args[0]!.sql})`; },
  percentile: (args, ctx) => { arity(args, ctx, 2); return percentile(args[0]!, args[1]!); },
  percentiles: (args, ctx) => {
    if (args.length !== 2) {
      throw unsupported(ctx, 'renders one percentile per call', ['the compiler expands percentiles(x, p1, p2) into one call per p']);
    }
    return percentile(args[0]!, args[1]!);
  },
  percentiles_array: (args, ctx) => {
    arity(args, ctx, 2, Infinity);
    return `to_json([${args.slice(1).map((p) => percentile(args[0]!, p)).join(', ')}])`;
  },
  stdev: zeroIfEmpty('stddev_samp'),
  stdevp: zeroIfEmpty('stddev_pop'),
  variance: zeroIfEmpty('var_samp'),
  variancep: zeroIfEmpty('var_pop'),
  stdevif: zeroIfEmptyIf('stddev_samp'),
  varianceif: zeroIfEmptyIf('var_samp'),
  take_any: (args, ctx) => { arity(args, ctx, 1); return `any_value(${args[0]!.sql})`; },
  take_anyif: (args, ctx) => { arity(args, ctx, 2); return `any_value(${args[0]!.sql})${filter(args[1]!.sql)}`; },
};

// Deprecated and alternative spellings Kusto still accepts.
const aliases: Record<string, string> = {
  any: 'take_any', anyif: 'take_anyif', makebag: 'make_bag', argmax: 'arg_max', argmin: 'arg_min',
};
for (const [alias, target] of Object.entries(aliases)) aggregates[alias] = aggregates[target]!;
// The deprecated makeset/makelist default to 128 elements.
aggregates['makeset'] = (args, ctx) => { arity(args, ctx, 1, 2); return makeSet(args[0]!, args[1], undefined, 128); };
aggregates['makelist'] = (args, ctx) => { arity(args, ctx, 1, 2); return makeList(args[0]!, args[1], undefined, 128); };
