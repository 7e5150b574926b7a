import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
import { openStore } from './src/store/duckdb/open-store.ts';
import { explorerMigrations } from './src/explorer/migrations.ts';
import { physicalTables } from './src/store/catalog-tables.ts';
import { processCatalog } from './src/catalog/catalog.ts';
import { ensureExplorerIndexes } from './src/explorer/indexes.ts';
import { artifactSummary } from './src/explorer/summary.ts';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qb-'));
const store = await openStore(dir, { migrations: explorerMigrations, tables: physicalTables(processCatalog()) });
const rows = 3_000_000, hosts = 300_000;
await store.exec(`INSERT INTO ExplorerResolutions (Host, Resolve, RecordType, ResolveKind, Asn, FirstSeen, LastSeen, SeenCount, Source, Tags)
      SELECT 'h' || (i % ${hosts}) || '.d' || ((i % ${hosts}) % 5000) || '.example', '10.' || ((i // 65536) % 256) || '.' || ((i // 256) % 256) || '.' || (i % 256), 'A', 'ip', 64500,
             TIMESTAMP '2020-01-01' + to_seconds(i % 100000000), TIMESTAMP '2024-01-01' + to_seconds(i % 10000000), 1, 'bench', '' FROM range(${rows}) t(i)`);
await store.exec(`INSERT INTO ExplorerHostPairs (ParentHost, ChildHost, Cause, FirstSeen, LastSeen, SeenCount, Source, Tags)
      SELECT 'h' || (i % ${hosts}) || '.d' || ((i % ${hosts}) % 5000) || '.example', 'h' || ((i * 7919) % ${hosts}) || '.d' || (((i * 7919) % ${hosts}) % 5000) || '.example', 'img.src', TIMESTAMP '2021-01-01', TIMESTAMP '2024-01-01', 1, 'bench', '' FROM range(${rows / 5}) t(i)`);
await ensureExplorerIndexes(store); await store.checkpoint();
const orig = store.query.bind(store);
const log: [number, string][] = [];
(store as any).query = async (sql: string, o: any) => { const t0 = performance.now(); try { return await orig(sql, o); } finally { log.push([performance.now() - t0, sql.replace(/\s+/g, ' ').slice(0, 140)]); } };
for (let i = 0; i < 3; i++) await artifactSummary(store, `h${123 + i}.d${123 + i}.example`);
log.length = 0;
const t0 = performance.now(); await artifactSummary(store, 'h777.d777.example'); console.log('total', (performance.now() - t0).toFixed(1));
for (const [ms, sql] of log.sort((a, b) => b[0] - a[0]).slice(0, 8)) console.log(ms.toFixed(1), sql);
await store.close(); fs.rmSync(dir, { recursive: true, force: true });
