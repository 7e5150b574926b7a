import path from 'node:path'; import fs from 'node:fs'; import os from 'node:os';
import { openStore } from '../../store/duckdb/open-store.js';
import { processCatalog } from '../../catalog/catalog.js';
import { ingestMigrations } from '../migrations.js';
import { physicalTables } from '../../store/catalog-tables.js';
import { ingest } from '../pipeline.js';
import { fileSource } from '../input.js';
import { ingestNdjsonFast } from './ndjson-fast.js';
const file = process.argv[2]!;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fx-'));
const open = (d: string) => openStore(d, { migrations: ingestMigrations, tables: physicalTables(processCatalog()) });
const a = await open(path.join(dir, 'a')); const b = await open(path.join(dir, 'b'));
let t0 = performance.now();
const sf = await ingestNdjsonFast(a, fileSource(file), { source: 'cli', format: 'ndjson', table: 'DeviceNetworkEvents' });
const fastMs = performance.now() - t0;
console.log('fast', Math.round(fastMs), 'ms', Math.round(sf.records / fastMs * 1000), 'rows/s', JSON.stringify({ ...sf, batchIds: sf.batchIds.length }));
if (process.argv[3] !== 'nojs') {
t0 = performance.now();
const sj = await ingest(b, fileSource(file), { source: 'cli', format: 'ndjson', table: 'DeviceNetworkEvents' });
const jsMs = performance.now() - t0;
console.log('js', Math.round(jsMs), 'ms', JSON.stringify({ ...sj, batchIds: sj.batchIds.length }));
console.log('same ids', JSON.stringify(sf.batchIds) === JSON.stringify(sj.batchIds));
await a.close(); await b.close();
const { DuckDBInstance } = await import('@duckdb/node-api');
const inst = await DuckDBInstance.create(':memory:'); const c = await inst.connect();
await c.run(`ATTACH '${path.join(dir,'a','quarry.duckdb')}' AS a (READ_ONLY)`).catch(async () => {});
const files = fs.readdirSync(path.join(dir,'a')); console.log(files);
}
