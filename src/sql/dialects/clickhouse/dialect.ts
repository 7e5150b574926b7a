/**
 * The ClickHouse dialect (target ClickHouse ≥ 23.8): types, literals, function templates and the
 * relation-level forms. Queries expect the session settings in `clickhouseQuerySettings`.
 *
 * Representation: string → String (NULL may appear inside queries and reads as ""); long → Int64;
 * int → Int32; real → Float64; bool → Bool; datetime → DateTime64(6, 'UTC'); timespan → Int64 µs;
 * dynamic → JSON text in a String; guid → String.
 */
import type { KqlScalarType } from '../../../catalog/types.js';
import type { Dialect, LiteralValue } from '../../dialect.js';
import { aggregates } from './aggregates.js';
import { scalarFunctions } from './functions.js';
import { datetimeFunctions } from './functions-datetime.js';
import { ipFunctions } from './functions-ip.js';
import { textFunctions } from './functions-text.js';
import { seriesAggregates, seriesFunctions } from './functions-series.js';
import { operatorFunctions } from './functions-operators.js';
import { nullableType, quoteIdentifier, renderLiteral } from './literals.js';
import { clickhouseExternalReader } from './external.js';
import { clickhouseRelational } from './relational.js';
import { clickhouseRewriteCall } from './rewrites.js';

/**
 * Settings every query of this dialect runs with: outer joins fill nulls (not type defaults), a
 * column name wins over a same-named SELECT alias (SQL scoping, which the renderer relies on), and
 * positional GROUP BY.
 */
export const clickhouseQuerySettings: Readonly<Record<string, string | number>> = {
  join_use_nulls: 1,
  prefer_column_name_to_alias: 1,
  enable_positional_arguments: 1,
  output_format_json_quote_64bit_integers: 1,
  output_format_json_quote_denormals: 1,
};

export const clickhouseDialect: Dialect = {
  name: 'clickhouse',
  flags: {
    supportsQualify: false,
    supportsAggregateFilter: false,
    supportsStarExclude: true,
    supportsLateralUnnest: false,
    supportsArgMax: true,
    windowsReorderRows: true,
  },
  quoteIdentifier,
  literal: (value: LiteralValue, type: KqlScalarType) => renderLiteral(value, type),
  sqlType: (type: KqlScalarType) => nullableType(type),
  functions: { ...scalarFunctions, ...datetimeFunctions, ...textFunctions, ...ipFunctions, ...seriesFunctions, ...operatorFunctions },
  aggregates: { ...aggregates, ...seriesAggregates },
  rewriteCall: clickhouseRewriteCall,
  prelude: [],
  relational: clickhouseRelational,
  readExternal: clickhouseExternalReader,
};
