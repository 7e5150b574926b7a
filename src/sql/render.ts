/**
 * `planToSql`: renders a relational plan as one SQL statement through a dialect.
 * Every relation becomes a SELECT nested as a sub-query; the engine's optimiser flattens them.
 * Scalar semantics (Kusto's case rules, term matching, null handling) live in the dialect's templates.
 */
import type { KqlScalarType } from '../catalog/types.js';
import { QuarryError } from '../core/errors.js';
import type { Aggregate, Plan, QueryParam, Rel, Scalar, SortKey } from '../plan/ir.js';
import type { Dialect, FnArg, RelationalSql } from './dialect.js';
import { duckdbRelational } from './dialects/duckdb/dialect.js';

export interface RenderOptions {
  /** Called for `external` relations to obtain the SQL that reads the fetched data. */
  readonly readExternal?: (rel: Extract<Rel, { op: 'external' }>, d: Dialect) => string;
  /**
   * Values of the query parameters (`now`, `from`, `to`; epoch µs), inlined as literals when the dialect has no
   * bound parameters or `inlineParams` is set (SQL shown to people).
   */
  readonly paramValues?: Partial<Record<QueryParam, bigint>>;
  readonly inlineParams?: boolean;
}

export interface RenderedSql {
  readonly sql: string;
  /** The bound parameters the SQL uses, in `$1, $2, …` order. */
  readonly params: readonly QueryParam[];
}

export function renderPlan(plan: Plan, dialect: Dialect, opts: RenderOptions = {}): RenderedSql {
  const r = new Renderer(dialect, opts);
  const body = r.rel(plan.body);
  let sql = body;
  if (plan.ctes.length > 0) {
    const ctes = plan.ctes.map((c) => r.sqlOf.cte(dialect.quoteIdentifier(c.name), r.rel(c.rel), c.materialized));
    sql = `WITH ${ctes.join(',\n')}\n${r.sqlOf.cteBody(body)}`;
  }
  const params: QueryParam[] = [];
  sql.replace(PARAM_MARK, (_m, name: QueryParam) => {
    if (!params.includes(name)) params.push(name);
    return '';
  });
  return { sql, params };
}

/**
 * Placeholder for a query parameter in rendered SQL (a "template"): `fillParams` turns it into a literal for one
 * run, so the template can be cached across runs with different "now"s while the engine still sees constants
 * (no prepared-statement round trip, and constant folding of `now - 1d`).
 */
const PARAM_MARK = /\u0001param:(now|from|to)\u0001/g;

export function fillParams(template: string, values: Partial<Record<QueryParam, bigint>>, dialect: Dialect): string {
  return template.replace(PARAM_MARK, (_m, name: QueryParam) => {
    const v = values[name];
    if (v === undefined) throw new QuarryError('core/internal', `no value for the query parameter '${name}'`);
    return dialect.literal(v, 'datetime');
  });
}

export function planToSql(plan: Plan, dialect: Dialect, opts: RenderOptions = {}): string {
  return renderPlan(plan, dialect, opts).sql;
}

function hasWindow(e: Scalar): boolean {
  if (e.k === 'window') return true;
  if (e.k === 'call') return e.args.some(hasWindow);
  return false;
}

class Renderer {
  private alias = 0;
  /** Relation-level forms of the dialect (DuckDB's when it has none). */
  readonly sqlOf: RelationalSql;
  private param(name: QueryParam): string {
    if (!this.opts.inlineParams) return `\u0001param:${name}\u0001`;
    const v = this.opts.paramValues?.[name];
    if (v === undefined) throw new QuarryError('core/internal', `no value for the query parameter '${name}'`);
    return this.d.literal(v, 'datetime');
  }

  constructor(private readonly d: Dialect, private readonly opts: RenderOptions) {
    this.sqlOf = d.relational ?? duckdbRelational;
  }

  private q(name: string): string {
    return this.d.quoteIdentifier(name);
  }

  private next(): string {
    return `_t${++this.alias}`;
  }

  private from(rel: Rel): string {
    return `(${this.rel(rel)}) AS ${this.next()}`;
  }

  /* ------------------------------------------------------------ scalars */

  scalar(e: Scalar, qualifier?: string): string {
    switch (e.k) {
      case 'col':
        return qualifier ? `${qualifier}.${this.q(e.name)}` : this.q(e.name);
      case 'lit':
        return this.d.literal(e.value, e.type);
      case 'param':
        return this.param(e.name);
      case 'call': {
        const rewritten = this.d.rewriteCall?.(e);
        if (rewritten && rewritten !== e) return this.scalar(rewritten, qualifier);
        return this.call(e.fn, e.args, e.type, qualifier);
      }
      case 'scalar-subquery': {
        const first = e.rel.columns[0]!;
        return `(SELECT ${this.q(first.name)} FROM ${this.from(e.rel)} LIMIT 1)`;
      }
      case 'list-subquery':
        return this.listAsJson(e);
      case 'window':
        return this.window(e, qualifier);
    }
  }

  /**
   * A WHERE condition. Under top-level and/or (monotone), a comparison that Kusto says is false where SQL says
   * null may render as the plain SQL comparison — both drop the row — which engines filter much faster
   * (zone maps, no null handling). Dialects opt in with `__pred_eq` / `__pred_eq_ci` templates.
   */
  private predicate(e: Scalar): string {
    if (e.k === 'call' && (e.fn === 'and' || e.fn === 'or') && e.args.length === 2) {
      return `(${this.predicate(e.args[0]!)} ${e.fn === 'and' ? 'AND' : 'OR'} ${this.predicate(e.args[1]!)})`;
    }
    if (e.k === 'call' && (e.fn === '==' || e.fn === '=~') && e.args.length === 2) {
      const impl = this.d.functions[e.fn === '==' ? '__pred_eq' : '__pred_eq_ci'];
      const [a, b] = e.args as [Scalar, Scalar];
      const lit = a.k === 'lit' ? a : b.k === 'lit' ? b : undefined;
      const other = lit === a ? b : a;
      if (impl && lit && lit.value !== null && other.type !== 'dynamic' && lit.type !== 'dynamic') {
        return impl([this.arg(other), this.arg(lit)], { dialect: this.d, resultType: 'bool', name: e.fn });
      }
    }
    return this.scalar(e);
  }

  private arg(e: Scalar, qualifier?: string): FnArg {
    const sql = this.scalar(e, qualifier);
    return e.k === 'lit' ? { sql, type: e.type, constant: { value: e.value } } : { sql, type: e.type };
  }

  private call(fn: string, args: readonly Scalar[], type: KqlScalarType, qualifier?: string): string {
    const inFamily = fn === 'in' || fn === '!in' || fn === 'in~' || fn === '!in~';
    if (inFamily && args.slice(1).some((a) => a.k === 'list-subquery')) return this.inSubquery(fn, args, qualifier);
    const impl = this.d.functions[fn];
    if (!impl) {
      throw new QuarryError('kql/unsupported', `the function or operator '${fn}' is not supported by Quarry yet (${this.d.name})`);
    }
    return impl(args.map((a) => this.arg(a, qualifier)), { dialect: this.d, resultType: type, name: fn });
  }

  /** `x in (T)`: a semi-join sub-query; dynamic-array columns (e.g. from make_list) are flattened. */
  private inSubquery(fn: string, args: readonly Scalar[], qualifier?: string): string {
    const lhs = args[0]!;
    const ci = fn.endsWith('~');
    const negate = fn.startsWith('!');
    const parts: string[] = [];
    const literals: Scalar[] = [];
    for (const item of args.slice(1)) {
      if (item.k !== 'list-subquery') {
        literals.push(item);
        continue;
      }
      const col = item.rel.columns[0]!;
      const colSql = this.q(col.name);
      const elementsText = (sql: string) => this.d.functions.__json_elements_text!([{ sql, type: 'dynamic' }], { dialect: this.d, resultType: 'dynamic', name: 'in' });
      const values = this.sqlOf.valuesAsText(colSql, col.type === 'dynamic', this.from(item.rel), elementsText);
      const lhsSql = lhs.type === 'string' ? this.scalar(lhs, qualifier) : this.call('tostring', [lhs], 'string', qualifier);
      parts.push(ci ? `lower(${lhsSql}) IN (SELECT lower(v) FROM (${values}))` : `${lhsSql} IN (SELECT v FROM (${values}))`);
    }
    if (literals.length > 0) parts.push(this.call(ci ? 'in~' : 'in', [lhs, ...literals], 'bool', qualifier));
    const any = parts.map((p) => `coalesce(${p}, FALSE)`).join(' OR ');
    return negate ? `(NOT (${any}))` : `(${any})`;
  }

  /** A tabular operand used as a list value (e.g. `has_any (T)`): its first column as a JSON array. */
  private listAsJson(e: Extract<Scalar, { k: 'list-subquery' }>): string {
    const col = e.rel.columns[0]!;
    const colSql = this.q(col.name);
    return this.sqlOf.listAsJson(colSql, col.type === 'dynamic', this.from(e.rel));
  }

  private window(e: Extract<Scalar, { k: 'window' }>, qualifier?: string): string {
    if (e.identity && this.sqlOf.rowIdentity) return this.sqlOf.rowIdentity();
    const part = e.partition && e.partition.length > 0 ? `PARTITION BY ${e.partition.map((x) => this.scalar(x, qualifier)).join(', ')} ` : '';
    const over = part + this.over(e.order, qualifier);
    const a = e.args.map((x) => this.scalar(x, qualifier));
    const sql = this.sqlOf.window(e.fn, a, over);
    if (sql === null) throw new QuarryError('kql/unsupported', `the window function '${e.fn}' is not supported yet`);
    return sql;
  }

  /** ` ORDER BY …` restoring the row order of an ordered window, for dialects whose windows reorder rows. */
  private windowRowOrder(exprs: readonly Scalar[]): string {
    if (!this.d.flags.windowsReorderRows) return '';
    const find = (e: Scalar): Extract<Scalar, { k: 'window' }> | undefined => {
      if (e.k === 'window') return e.order.length > 0 && !(e.partition && e.partition.length > 0) ? e : undefined;
      return e.k === 'call' ? e.args.map(find).find((w) => w !== undefined) : undefined;
    };
    const w = exprs.map(find).find((x) => x !== undefined);
    return w ? ` ${this.over(w.order)}` : '';
  }

  private over(order: readonly SortKey[], qualifier?: string): string {
    if (order.length === 0) return '';
    return 'ORDER BY ' + order.map((k) => this.sortKey(k, qualifier)).join(', ');
  }

  private sortKey(k: SortKey, qualifier?: string): string {
    return `${this.scalar(k.expr, qualifier)} ${k.desc ? 'DESC' : 'ASC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`;
  }

  private cast(sql: string, type: KqlScalarType): string {
    return `CAST(${sql} AS ${this.d.sqlType(type)})`;
  }

  /* ------------------------------------------------------------ relations */

  rel(r: Rel): string {
    switch (r.op) {
      case 'scan': {
        const cols = r.columns.map((c, i) => {
          const src = r.sources[i]!;
          if ('constant' in src) return `${this.d.literal(src.constant, 'string')} AS ${this.q(c.name)}`;
          return src.physical === c.name ? this.q(c.name) : `${this.q(src.physical)} AS ${this.q(c.name)}`;
        });
        return `SELECT ${cols.join(', ')} FROM ${this.q(r.table)}`;
      }
      case 'values': {
        if (r.columns.length === 0) return `SELECT ${r.rows.length > 0 ? 'NULL' : 'NULL LIMIT 0'} AS ${this.q('__dummy')}`;
        if (r.rows.length === 0) {
          return `SELECT ${r.columns.map((c) => `${this.cast('NULL', c.type)} AS ${this.q(c.name)}`).join(', ')} LIMIT 0`;
        }
        const rows = r.rows.map((row) => row.map((v, i) => this.cast(this.d.literal(v, r.columns[i]!.type), r.columns[i]!.type)));
        return this.sqlOf.values(r.columns.map((c) => ({ sql: this.q(c.name), type: c.type })), rows, () => this.next());
      }
      case 'range': {
        const c = r.columns[0]!;
        const [f, t, st] = [this.scalar(r.from), this.scalar(r.to), this.scalar(r.step)];
        return this.sqlOf.range(this.q(c.name), c.type, f, t, st, () => this.next());
      }
      case 'filter':
        // Window functions (row_number(), prev() …) cannot appear in WHERE: filter on them with QUALIFY.
        if (hasWindow(r.predicate)) {
          const from = this.from(r.input);
          return this.sqlOf.windowFilter(from, this.scalar(r.predicate));
        }
        return `SELECT * FROM ${this.from(r.input)} WHERE ${this.predicate(r.predicate)}`;
      case 'project': {
        const exprs = r.exprs.map((e, i) => {
          const t = r.columns[i]!.type;
          const sql = this.scalar(e.expr);
          if (e.expr.k === 'col' && e.expr.name === e.name && e.expr.type === t) return sql;
          const typed = e.expr.type === t ? sql : this.coerce(sql, e.expr.type, t);
          return `${typed} AS ${this.q(e.name)}`;
        });
        return `SELECT ${exprs.join(', ') || 'NULL AS "__dummy"'} FROM ${this.from(r.input)}${this.windowRowOrder(r.exprs.map((e) => e.expr))}`;
      }
      case 'aggregate':
        return this.aggregate(r);
      case 'arg-extreme':
        throw new QuarryError('kql/unsupported', 'arg-extreme relations are rendered through aggregates');
      case 'join':
        return this.join(r);
      case 'union': {
        const parts = r.inputs.map((inp) => {
          const alias = this.next();
          const cols = r.columns.map((c, i) => {
            if (r.sourceColumn && c.name === r.sourceColumn) return `${this.d.literal(inp.source ?? '', 'string')} AS ${this.q(c.name)}`;
            const src = inp.map[i];
            if (src === null || src === undefined) return `${this.cast('NULL', c.type)} AS ${this.q(c.name)}`;
            const st = inp.rel.columns.find((x) => x.name === src)!.type;
            const sql = `${alias}.${this.q(src)}`;
            return `${st === c.type ? sql : this.coerce(sql, st, c.type)} AS ${this.q(c.name)}`;
          });
          return `SELECT ${cols.join(', ')} FROM (${this.rel(inp.rel)}) AS ${alias}`;
        });
        return parts.map((p) => `(${p})`).join('\nUNION ALL\n');
      }
      case 'sort':
        return `SELECT * FROM ${this.from(r.input)} ORDER BY ${r.keys.map((k) => this.sortKey(k)).join(', ')}`;
      case 'limit': {
        const count = this.scalar(r.count);
        if (r.input.op === 'sort') {
          const s = r.input;
          return `SELECT * FROM ${this.from(s.input)} ORDER BY ${s.keys.map((k) => this.sortKey(k)).join(', ')} LIMIT ${count}`;
        }
        return `SELECT * FROM ${this.from(r.input)} LIMIT ${count}`;
      }
      case 'distinct':
        return `SELECT DISTINCT * FROM ${this.from(r.input)}`;
      case 'mv-expand':
        return this.mvExpand(r);
      case 'ref':
        return `SELECT * FROM ${this.q(r.name)}`;
      case 'pivot': {
        const using = this.aggCall(r.agg);
        return this.sqlOf.pivot(this.rel(r.input), this.q(r.pivotColumn), using, r.groupBy.map((g) => this.q(g)));
      }
      case 'bag-unpack': {
        const src = this.next();
        return this.sqlOf.bagUnpack(src, this.rel(r.input), this.q(r.column), r.prefix, () => this.next());
      }
      case 'external': {
        if (!this.opts.readExternal) {
          throw new QuarryError('hunt/externaldata-failed', 'externaldata needs the hunt layer to fetch its source first');
        }
        return this.opts.readExternal(r, this.d);
      }
    }
  }

  /** Converts a value between KQL types when the binder's type and the expression's differ. */
  private coerce(sql: string, from: KqlScalarType, to: KqlScalarType): string {
    if (from === to) return sql;
    if (to === 'dynamic') return this.d.functions.todynamic ? this.d.functions.todynamic([{ sql, type: from }], { dialect: this.d, resultType: to, name: 'todynamic' }) : `to_json(${sql})`;
    if (to === 'string') return this.d.functions.tostring!([{ sql, type: from }], { dialect: this.d, resultType: to, name: 'tostring' });
    const conv: Partial<Record<KqlScalarType, string>> = { long: 'tolong', int: 'toint', real: 'toreal', bool: 'tobool', datetime: 'todatetime', timespan: 'totimespan', guid: 'toguid', decimal: 'todecimal' };
    const fn = conv[to];
    const impl = fn ? this.d.functions[fn] : undefined;
    if (impl) return impl([{ sql, type: from }], { dialect: this.d, resultType: to, name: fn! });
    return this.cast(sql, to);
  }

  private aggregate(r: Extract<Rel, { op: 'aggregate' }>): string {
    const keys = r.keys.map((k, i) => {
      const t = r.columns[i]!.type;
      const sql = this.scalar(k.expr);
      return `${k.expr.type === t ? sql : this.coerce(sql, k.expr.type, t)} AS ${this.q(k.name)}`;
    });
    const groupBy = r.keys.length > 0 ? ` GROUP BY ${r.keys.map((_, i) => String(i + 1)).join(', ')}` : '';
    const tuples = new Map<number, Aggregate[]>();
    const plain: string[] = [];
    for (const a of r.aggs) {
      if (a.tuple !== undefined && this.d.flags.argExtremeConsistent) {
        // One aggregate per tuple member: the by-column itself is its max/min, the others arg_max(col, by).
        const [value, by] = a.args as [Scalar, Scalar];
        const same = value.k === 'col' && by.k === 'col' && value.name === by.name;
        const fn = a.fn === 'arg_min' ? 'arg_min' : 'arg_max';
        const agg: Aggregate = same ? { name: a.name, fn: fn === 'arg_min' ? 'min' : 'max', args: [by], type: a.type } : { name: a.name, fn, args: [by, value], type: a.type };
        plain.push(`${this.aggCall(agg)} AS ${this.q(a.name)}`);
      } else if (a.tuple !== undefined) {
        const list = tuples.get(a.tuple) ?? [];
        list.push(a);
        tuples.set(a.tuple, list);
      } else {
        plain.push(`${this.aggCall(a)} AS ${this.q(a.name)}`);
      }
    }
    if (tuples.size === 0) {
      return `SELECT ${[...keys, ...plain].join(', ')} FROM ${this.from(r.input)}${groupBy}`;
    }
    // arg_max/arg_min tuples: one struct per call so that every column comes from the same row.
    const tupleSql: string[] = [];
    for (const [id, list] of tuples) {
      const fn = list[0]!.fn === 'arg_min' ? 'arg_min' : 'arg_max';
      const by = this.scalar(list[0]!.args[1]!);
      const fields = list.map((a) => this.scalar(a.args[0]!));
      tupleSql.push(`${this.sqlOf.argExtremeTuple(fn, fields, by)} AS ${this.q(`__tuple${id}`)}`);
    }
    const inner = `SELECT ${[...keys, ...plain, ...tupleSql].join(', ')} FROM ${this.from(r.input)}${groupBy}`;
    const alias = this.next();
    const outer = r.columns.map((c) => {
      const agg = r.aggs.find((a) => a.name === c.name && a.tuple !== undefined);
      if (!agg) return `${alias}.${this.q(c.name)}`;
      const idx = tuples.get(agg.tuple!)!.indexOf(agg);
      return `${this.sqlOf.tupleField(`${alias}.${this.q(`__tuple${agg.tuple}`)}`, idx)} AS ${this.q(c.name)}`;
    });
    return `SELECT ${outer.join(', ')} FROM (${inner}) AS ${alias}`;
  }

  private aggCall(a: Aggregate): string {
    const impl = this.d.aggregates[a.fn];
    if (!impl) throw new QuarryError('kql/unsupported', `the aggregate '${a.fn}()' is not supported by Quarry yet (${this.d.name})`);
    return impl(a.args.map((x) => this.arg(x)), { dialect: this.d, resultType: a.type, name: a.fn });
  }

  private join(r: Extract<Rel, { op: 'join' }>): string {
    const swap = r.kind === 'rightsemi' || r.kind === 'rightanti';
    const la = this.next();
    const ra = this.next();
    let leftSql = this.rel(r.left);
    if (r.kind === 'innerunique') {
      const keys = r.on.map((o) => this.scalar(o.left));
      leftSql = this.sqlOf.firstPerKey(leftSql, this.next(), keys);
    }
    const cond = r.on.map((o) => `${this.scalar(o.left, la)} = ${this.scalar(o.right, ra)}`).join(' AND ') || this.sqlOf.joinAlways();
    const cols = r.outputs.map((o) => `${o.side === 'left' ? la : ra}.${this.q(o.column)} AS ${this.q(o.name)}`).join(', ');
    if (swap) {
      return `SELECT ${cols} FROM (${this.rel(r.right)}) AS ${ra} ${this.sqlOf.joinKeyword(r.kind)} (${leftSql}) AS ${la} ON ${cond}`;
    }
    return `SELECT ${cols} FROM (${leftSql}) AS ${la} ${this.sqlOf.joinKeyword(r.kind)} (${this.rel(r.right)}) AS ${ra} ON ${cond}`;
  }

  private mvExpand(r: Extract<Rel, { op: 'mv-expand' }>): string {
    const inner = this.next();
    const listFn = this.d.functions.__mv_list;
    if (!listFn) throw new QuarryError('kql/unsupported', `mv-expand is not supported by the ${this.d.name} dialect`);
    // `mv-expand x = split(s, d) to typeof(string)`: expand the split text directly (no JSON round trip).
    const splitFn = this.d.functions.__split_list;
    const direct = r.items.map((it) => Boolean(splitFn) && it.toType === 'string' && it.expr.k === 'call' && it.expr.fn === 'split' && it.expr.args.length === 2);
    const lists = r.items.map((it, i) => {
      let list = direct[i] && it.expr.k === 'call'
        ? splitFn!(it.expr.args.map((a) => this.arg(a, inner)), { dialect: this.d, resultType: 'dynamic', name: 'split' })
        : listFn([{ sql: this.scalar(it.expr, inner), type: it.expr.type }], { dialect: this.d, resultType: 'dynamic', name: it.bagExpansion });
      if (r.limit !== undefined) list = this.sqlOf.listHead(list, String(r.limit));
      return `${list} AS ${this.q(`__mvl${i}`)}`;
    });
    const withLists = `SELECT ${inner}.*, ${lists.join(', ')} FROM (${this.rel(r.input)}) AS ${inner}`;
    const a2 = this.next();
    const expanded = this.sqlOf.expandLists(withLists, a2, r.items.length, r.withItemIndex !== undefined, (n) => this.q(n));
    const a3 = this.next();
    const cols = r.columns.map((c) => {
      const idx = r.items.findIndex((it) => it.name === c.name);
      if (idx >= 0) {
        const it = r.items[idx]!;
        const v = `${a3}.${this.q(`__mv${idx}`)}`;
        return `${it.toType === 'dynamic' || direct[idx] ? v : this.coerce(v, 'dynamic', it.toType)} AS ${this.q(c.name)}`;
      }
      if (r.withItemIndex && c.name === r.withItemIndex) return `CAST(${a3}.${this.q('__mvidx')} AS BIGINT) AS ${this.q(c.name)}`;
      return `${a3}.${this.q(c.name)}`;
    });
    return `SELECT ${cols.join(', ')} FROM (${expanded}) AS ${a3}`;
  }
}
