/**
 * INITIAL VERSION by the lead so the compiler can run end to end; part A of the function catalog owns this
 * file and replaces it with the full, tested implementation.
 */
import type { FnArg, ScalarFnImpl } from '../../dialect.js';
import { sqlString } from './literals.js';

const s = (a: FnArg) => (a.type === 'string' ? `coalesce(${a.sql}, '')` : a.type === 'dynamic' ? `kql_json_to_string(${a.sql})` : `CAST(${a.sql} AS VARCHAR)`);
const esc = (x: string) => `regexp_replace(${x}, '([.*+?^$(){}|\\[\\]\\\\])', '\\\\\\1', 'g')`;
const cmp = (op: string): ScalarFnImpl => (a) => {
  const [l, r] = a as [FnArg, FnArg];
  if (l.type === 'string' || r.type === 'string') return `(${s(l)} ${op} ${s(r)})`;
  if (l.type === 'dynamic' && r.type !== 'dynamic') return `(TRY_CAST(kql_json_to_string(${l.sql}) AS ${sqlTypeOf(r.type)}) ${op} ${r.sql})`;
  return `(${l.sql} ${op} ${r.sql})`;
};
function sqlTypeOf(t: string): string {
  return ({ long: 'BIGINT', int: 'INTEGER', real: 'DOUBLE', bool: 'BOOLEAN', datetime: 'TIMESTAMP', timespan: 'BIGINT' } as Record<string, string>)[t] ?? 'VARCHAR';
}
const hasTerm = (l: FnArg, r: FnArg) => `regexp_matches(lower(${s(l)}), '(^|[^a-z0-9])' || ${esc(`lower(${s(r)})`)} || '($|[^a-z0-9])')`;
function listItems(args: readonly FnArg[]): string[] {
  return args.slice(1).map((a) => (a.type === 'dynamic' ? `unnest(__kql_json_elements_text(${a.sql}))` : s(a)));
}
function inList(args: readonly FnArg[], ci: boolean): string {
  const lhs = ci ? `lower(${s(args[0]!)})` : s(args[0]!);
  const dyn = args.slice(1).some((a) => a.type === 'dynamic');
  if (!dyn) return `(${lhs} IN (${args.slice(1).map((a) => (ci ? `lower(${s(a)})` : s(a))).join(', ')}))`;
  const vals = args.slice(1).map((a) => (a.type === 'dynamic' ? `__kql_json_elements_text(${a.sql})` : `[${s(a)}]`)).join(' || ');
  return `coalesce(list_contains(${ci ? `list_transform(${vals}, x -> lower(x))` : vals}, ${lhs}), FALSE)`;
}
const arith = (op: string): ScalarFnImpl => (a, ctx) => {
  const [l, r] = a as [FnArg, FnArg];
  if (op === '-' && l.type === 'datetime' && r.type === 'datetime') return `(epoch_us(${l.sql}) - epoch_us(${r.sql}))`;
  if ((op === '+' || op === '-') && l.type === 'datetime' && r.type === 'timespan') return `make_timestamp(epoch_us(${l.sql}) ${op} ${r.sql})`;
  if (op === '+' && l.type === 'timespan' && r.type === 'datetime') return `make_timestamp(epoch_us(${r.sql}) + ${l.sql})`;
  if (op === '/' && (ctx.resultType === 'long' || ctx.resultType === 'int')) return `CAST(trunc(${l.sql} / ${r.sql}) AS BIGINT)`;
  return `(${l.sql} ${op} ${r.sql})`;
};

export const operatorFunctions: Record<string, ScalarFnImpl> = {
  '==': cmp('='), '!=': cmp('<>'), '<': cmp('<'), '<=': cmp('<='), '>': cmp('>'), '>=': cmp('>='),
  and: (a) => `(${a[0]!.sql} AND ${a[1]!.sql})`,
  or: (a) => `(${a[0]!.sql} OR ${a[1]!.sql})`,
  not: (a) => `(NOT ${a[0]!.sql})`,
  neg: (a) => `(-${a[0]!.sql})`,
  '+': arith('+'), '-': arith('-'), '*': arith('*'), '/': arith('/'), '%': arith('%'),
  '=~': (a) => `(lower(${s(a[0]!)}) = lower(${s(a[1]!)}))`,
  '!~': (a) => `(lower(${s(a[0]!)}) <> lower(${s(a[1]!)}))`,
  has: (a) => hasTerm(a[0]!, a[1]!),
  '!has': (a) => `(NOT ${hasTerm(a[0]!, a[1]!)})`,
  contains: (a) => `contains(lower(${s(a[0]!)}), lower(${s(a[1]!)}))`,
  '!contains': (a) => `(NOT contains(lower(${s(a[0]!)}), lower(${s(a[1]!)})))`,
  contains_cs: (a) => `contains(${s(a[0]!)}, ${s(a[1]!)})`,
  '!contains_cs': (a) => `(NOT contains(${s(a[0]!)}, ${s(a[1]!)}))`,
  startswith: (a) => `starts_with(lower(${s(a[0]!)}), lower(${s(a[1]!)}))`,
  endswith: (a) => `suffix(lower(${s(a[0]!)}), lower(${s(a[1]!)}))`,
  'matches regex': (a) => `regexp_matches(${s(a[0]!)}, ${a[1]!.sql})`,
  in: (a) => inList(a, false),
  '!in': (a) => `(NOT ${inList(a, false)})`,
  'in~': (a) => inList(a, true),
  '!in~': (a) => `(NOT ${inList(a, true)})`,
  has_any: (a) => `(${listItems(a).length ? `list_bool_or(list_transform(${a.slice(1).map((x) => (x.type === 'dynamic' ? `__kql_json_elements_text(${x.sql})` : `[${s(x)}]`)).join(' || ')}, n -> regexp_matches(lower(${s(a[0]!)}), '(^|[^a-z0-9])' || ${esc('lower(n)')} || '($|[^a-z0-9])')))` : 'FALSE'})`,
  between: (a) => `(${a[0]!.sql} BETWEEN ${a[1]!.sql} AND ${a[2]!.sql})`,
  '!between': (a) => `(NOT (${a[0]!.sql} BETWEEN ${a[1]!.sql} AND ${a[2]!.sql}))`,
};
export { sqlString };
