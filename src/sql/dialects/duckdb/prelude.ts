export { duckdbPrelude } from './dialect.js';
export { duckdbJsUdfs, type JsScalarUdf } from './udf-parse-xml.js';
