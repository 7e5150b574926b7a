/**
 * The DuckDB dialect: capability flags, literals, types, and every KQL function template, merged from
 * the per-family files. Later entries do not silently override earlier ones (a duplicate name is a bug).
 */
import type { KqlScalarType } from '../../../catalog/types.js';
import type { AggregateFnImpl, Dialect, LiteralValue, ScalarFnImpl } from '../../dialect.js';
import { aggregates } from './aggregates.js';
import { coreFunctions, corePrelude } from './functions-core.js';
import { convertFunctions } from './functions-convert.js';
import { datetimeFunctions } from './functions-datetime.js';
import { dynamicFunctions } from './functions-dynamic.js';
import { ipFunctions } from './functions-ip.js';
import { miscFunctions } from './functions-misc.js';
import { operatorFunctions } from './functions-operators.js';
import { stringFunctions } from './functions-string.js';
import { quoteIdentifier, renderLiteral } from './literals.js';
import { preludeA } from './prelude-a.js';
import { preludeB } from './prelude-b.js';
import { duckdbTypeOf } from './types.js';

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
});

export const duckdbPrelude: readonly string[] = [...preludeB, ...preludeA, ...corePrelude];

export const duckdbDialect: Dialect = {
  name: 'duckdb',
  flags: {
    supportsQualify: true,
    supportsAggregateFilter: true,
    supportsStarExclude: true,
    supportsLateralUnnest: true,
    supportsArgMax: true,
  },
  quoteIdentifier,
  literal: (value: LiteralValue, type: KqlScalarType) => renderLiteral(value, type),
  sqlType: (type: KqlScalarType) => duckdbTypeOf[type],
  functions,
  aggregates: aggregates as Record<string, AggregateFnImpl>,
  prelude: duckdbPrelude,
};
