/**
 * The relational plan: plain, serialisable data between the KQL front end and the SQL dialects.
 * Every relation knows its output columns (names and KQL types) in order, exactly as Kusto would name them.
 * Nothing here names a SQL dialect.
 */
import type { KqlScalarType, SchemaView } from '../catalog/types.js';
import type { LiteralValue } from '../sql/dialect.js';

export interface Col {
  readonly name: string;
  readonly type: KqlScalarType;
}

/* ---------------------------------------------------------------- scalar expressions */

export type Scalar =
  | { readonly k: 'col'; readonly name: string; readonly type: KqlScalarType }
  | { readonly k: 'lit'; readonly value: LiteralValue; readonly type: KqlScalarType }
  /**
   * A value bound when the query runs, not when it compiles: the query's frozen "now" and the time range of
   * the run (`from`/`to`). Keeping them out of the SQL text lets one compiled query serve every run.
   */
  | { readonly k: 'param'; readonly name: QueryParam; readonly type: 'datetime' }
  /** A KQL scalar function or operator (KQL spelling, lower-case), rendered by the dialect's templates. */
  | { readonly k: 'call'; readonly fn: string; readonly args: readonly Scalar[]; readonly type: KqlScalarType }
  /** Scalar sub-query: first column of the first row (`toscalar`). */
  | { readonly k: 'scalar-subquery'; readonly rel: Rel; readonly type: KqlScalarType }
  /** Tabular operand of `in`/`has_any`: the first column's values (dynamic arrays flattened). */
  | { readonly k: 'list-subquery'; readonly rel: Rel; readonly type: KqlScalarType; readonly elementType: KqlScalarType }
  /** Window functions over the serialized row order (`row_number`, `prev`, `next`, `row_cumsum`). */
  | {
      readonly k: 'window'; readonly fn: string; readonly args: readonly Scalar[]; readonly type: KqlScalarType; readonly order: readonly SortKey[];
      /** Restarts the window per distinct value of these (per source row in `mv-apply`, per parent in `top-nested`). */
      readonly partition?: readonly Scalar[];
      /**
       * The numbering only identifies rows (any order will do) and must come out the same each time the
       * relation is read (mv-apply reads its numbered rows twice; engines that inline CTEs recompute it).
       */
      readonly identity?: boolean;
    };

export type QueryParam = 'now' | 'from' | 'to';

export interface NamedScalar {
  readonly name: string;
  readonly expr: Scalar;
}

export interface Aggregate {
  readonly name: string;
  /** KQL aggregate name, lower-case (`count`, `dcount`, `arg_max`, …). */
  readonly fn: string;
  readonly args: readonly Scalar[];
  readonly type: KqlScalarType;
  /**
   * Columns of one `arg_max`/`arg_min` call share a tuple id: they must come from the same winning row
   * (args are `[value, by]`).
   */
  readonly tuple?: number;
}

export interface SortKey {
  readonly expr: Scalar;
  readonly desc: boolean;
  readonly nullsFirst: boolean;
}

export type JoinKind =
  | 'innerunique' | 'inner' | 'leftouter' | 'rightouter' | 'fullouter'
  | 'leftanti' | 'rightanti' | 'leftsemi' | 'rightsemi';

/* ---------------------------------------------------------------- relations */

export type Rel =
  | {
      readonly op: 'scan';
      readonly table: string;
      readonly view: SchemaView;
      readonly columns: readonly Col[];
      /** Physical source of each output column: a stored column or a constant (e.g. `Type`). */
      readonly sources: readonly ({ readonly physical: string } | { readonly constant: string })[];
    }
  | { readonly op: 'values'; readonly columns: readonly Col[]; readonly rows: readonly (readonly LiteralValue[])[] }
  | { readonly op: 'range'; readonly columns: readonly Col[]; readonly from: Scalar; readonly to: Scalar; readonly step: Scalar }
  | { readonly op: 'filter'; readonly columns: readonly Col[]; readonly input: Rel; readonly predicate: Scalar }
  /** Computes every output column from the input (extend/project/rename/reorder all lower to this). */
  | { readonly op: 'project'; readonly columns: readonly Col[]; readonly input: Rel; readonly exprs: readonly NamedScalar[] }
  | {
      readonly op: 'aggregate';
      readonly columns: readonly Col[];
      readonly input: Rel;
      readonly keys: readonly NamedScalar[];
      readonly aggs: readonly Aggregate[];
    }
  /** `arg_max`/`arg_min` summarize: per group, the row with the extreme `by` value; outputs in `columns` order. */
  | {
      readonly op: 'arg-extreme';
      readonly columns: readonly Col[];
      readonly input: Rel;
      readonly keys: readonly NamedScalar[];
      readonly which: 'max' | 'min';
      readonly by: Scalar;
      /** Output column → expression over the input row that wins. */
      readonly outputs: readonly NamedScalar[];
    }
  | {
      readonly op: 'join';
      readonly columns: readonly Col[];
      readonly kind: JoinKind;
      readonly left: Rel;
      readonly right: Rel;
      /** Equality conditions: left-side and right-side expressions (over each input's columns). */
      readonly on: readonly { readonly left: Scalar; readonly right: Scalar }[];
      /** Output columns: which side and which input column each comes from. */
      readonly outputs: readonly { readonly name: string; readonly side: 'left' | 'right'; readonly column: string }[];
    }
  | {
      readonly op: 'union';
      readonly columns: readonly Col[];
      /** Each input with, per output column, the input column that feeds it (or null → typed null). */
      readonly inputs: readonly { readonly rel: Rel; readonly map: readonly (string | null)[]; readonly source?: string }[];
      readonly sourceColumn?: string;
    }
  | { readonly op: 'sort'; readonly columns: readonly Col[]; readonly input: Rel; readonly keys: readonly SortKey[] }
  | { readonly op: 'limit'; readonly columns: readonly Col[]; readonly input: Rel; readonly count: Scalar }
  | { readonly op: 'distinct'; readonly columns: readonly Col[]; readonly input: Rel }
  | {
      readonly op: 'mv-expand';
      readonly columns: readonly Col[];
      readonly input: Rel;
      /** Columns expanded together (zipped by position, like Kusto); each replaces or adds `name`. */
      readonly items: readonly { readonly name: string; readonly expr: Scalar; readonly toType: KqlScalarType; readonly bagExpansion: 'bag' | 'array' }[];
      readonly limit?: number;
      readonly withItemIndex?: string;
    }
  /**
   * `evaluate pivot(col[, agg][, by…])`: one output column per distinct value of `pivotColumn` (known only when
   * the query runs). `columns` holds the group-by columns the binder knows.
   */
  | {
      readonly op: 'pivot';
      readonly columns: readonly Col[];
      readonly input: Rel;
      readonly pivotColumn: string;
      readonly agg: Aggregate;
      readonly groupBy: readonly string[];
    }
  /** `evaluate bag_unpack(col[, prefix])`: one dynamic column per key of the bags (known only at run time). */
  | { readonly op: 'bag-unpack'; readonly columns: readonly Col[]; readonly input: Rel; readonly column: string; readonly prefix: string }
  /** A reference to a named common table expression (tabular `let`, `materialize`, `as`). */
  | { readonly op: 'ref'; readonly columns: readonly Col[]; readonly name: string }
  /** Reads an external file (`externaldata`); resolved to a local file path by the hunt layer before SQL. */
  | {
      readonly op: 'external';
      readonly columns: readonly Col[];
      readonly urls: readonly string[];
      /** Per URL: written as an obfuscated literal (`h"…"`, `h@'…'`): never shown in SQL text, logs or errors. */
      readonly obfuscated?: readonly boolean[];
      readonly format: string;
      readonly ignoreFirstRecord: boolean;
      readonly properties: Readonly<Record<string, string>>;
      /** Filled by the hunt layer: local files holding the fetched data. */
      readonly localFiles?: readonly string[];
    };

export interface Cte {
  readonly name: string;
  readonly rel: Rel;
  readonly materialized: boolean;
}

/** A whole compiled query: CTEs (in dependency order) and the final relation. */
export interface Plan {
  readonly ctes: readonly Cte[];
  readonly body: Rel;
  /** True when some output columns are only known at run time (`evaluate pivot`, `bag_unpack`). */
  readonly dynamicSchema?: boolean;
  /** `render` operator, kept as a hint for charts. */
  readonly render?: { readonly kind: string; readonly props: Readonly<Record<string, string>> };
}

export function colsOf(rel: Rel): readonly Col[] {
  return rel.columns;
}
