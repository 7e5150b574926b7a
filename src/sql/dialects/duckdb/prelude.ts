export { duckdbPrelude } from './dialect.js';
export { duckdbJsUdfs, type JsScalarUdf } from './udfs.js';
