export { duckdbPrelude } from './dialect.js';
