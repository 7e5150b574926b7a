/**
 * The DuckDB dialect's JavaScript scalar functions, for what DuckDB's SQL cannot express: the store registers
 * each on every connection (`store/duckdb/pool.ts`). Plain data, so the dialect needs no driver; text arguments
 * and a text result (JSON text for dynamic results, cast by the function templates).
 */
import { ipv6CompareUdf, ipv6InAnyRangeUdf, ipv6InRangeUdf, parseIpv6MaskUdf, parseIpv6Udf } from './udf-ipv6.js';
import { parseCsvToJson } from './udf-parse-csv.js';
import { parseXmlToJson } from './udf-parse-xml.js';

export interface JsScalarUdf {
  readonly name: string;
  readonly parameterTypes: readonly 'VARCHAR'[];
  readonly returnType: 'VARCHAR';
  readonly fn: (...args: string[]) => string | null;
}

export const duckdbJsUdfs: readonly JsScalarUdf[] = [
  { name: 'kql_parse_xml', parameterTypes: ['VARCHAR'], returnType: 'VARCHAR', fn: parseXmlToJson },
  { name: 'kql_parse_csv', parameterTypes: ['VARCHAR'], returnType: 'VARCHAR', fn: parseCsvToJson },
  { name: 'kql_parse_ipv6', parameterTypes: ['VARCHAR'], returnType: 'VARCHAR', fn: parseIpv6Udf },
  { name: 'kql_parse_ipv6_mask', parameterTypes: ['VARCHAR', 'VARCHAR'], returnType: 'VARCHAR', fn: parseIpv6MaskUdf },
  { name: 'kql_ipv6_compare', parameterTypes: ['VARCHAR', 'VARCHAR', 'VARCHAR'], returnType: 'VARCHAR', fn: ipv6CompareUdf },
  { name: 'kql_ipv6_in_range', parameterTypes: ['VARCHAR', 'VARCHAR'], returnType: 'VARCHAR', fn: ipv6InRangeUdf },
  { name: 'kql_ipv6_in_any_range', parameterTypes: ['VARCHAR', 'VARCHAR'], returnType: 'VARCHAR', fn: ipv6InAnyRangeUdf },
];
