/**
 * Measures bulk-append throughput (not a test: `npx tsx test/store/append-throughput.ts`).
 * Narrow: 1M rows × 4 columns. Wide: 100k DeviceNetworkEvents rows with realistic values.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ColumnDef } from '../../src/catalog/types.js';
import { defaultCatalog } from '../../src/catalog/catalog.js';
import { physicalColumns } from '../../src/catalog/views.js';
import { openStore } from '../../src/store/duckdb/open-store.js';

const narrowCols: ColumnDef[] = [
  { name: 'Timestamp', type: 'datetime' },
  { name: 'Id', type: 'long' },
  { name: 'Name', type: 'string' },
  { name: 'Value', type: 'real' },
];

/** A DeviceNetworkEvents row with realistic value shapes (ids, hashes, IPs, paths, command lines). */
function networkRow(i: number): Record<string, unknown> {
  const dev = i % 200;
  const proc = i % 37;
  return {
    Timestamp: new Date(1_717_200_000_000 + i * 250).toISOString(),
    DeviceId: `${dev.toString(16).padStart(8, '0')}c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8`,
    DeviceName: `ws-${dev}.corp.contoso.com`,
    ActionType: i % 5 === 0 ? 'ConnectionFailed' : 'ConnectionSuccess',
    RemoteIP: `52.${(i >> 8) & 255}.${i & 255}.${(i * 7) & 255}`,
    RemotePort: 443,
    RemoteUrl: i % 3 === 0 ? `cdn${i % 50}.example.net` : '',
    LocalIP: `10.1.${dev & 255}.${(dev * 3) & 255}`,
    LocalPort: 49152 + (i % 16000),
    Protocol: 'Tcp',
    LocalIPType: 'Private',
    RemoteIPType: 'Public',
    InitiatingProcessSHA1: `a9993e364706816aba3e25717850c26c9cd0d8${(proc % 100).toString().padStart(2, '0')}`,
    InitiatingProcessSHA256: `ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015${(proc % 100).toString().padStart(2, '0')}`,
    InitiatingProcessMD5: `900150983cd24fb0d6963f7d28e17f${(proc % 100).toString().padStart(2, '0')}`,
    InitiatingProcessFileName: `proc${proc}.exe`,
    InitiatingProcessFileSize: 1_234_567 + proc,
    InitiatingProcessId: 4000 + (i % 5000),
    InitiatingProcessCommandLine: `"proc${proc}.exe" --type=renderer --lang=en-US --field-trial-handle=${proc}`,
    InitiatingProcessCreationTime: new Date(1_717_100_000_000 + proc * 1000).toISOString(),
    InitiatingProcessFolderPath: `c:\\program files\\vendor${proc}\\proc${proc}.exe`,
    InitiatingProcessParentFileName: 'explorer.exe',
    InitiatingProcessParentId: 1200 + proc,
    InitiatingProcessAccountDomain: 'contoso',
    InitiatingProcessAccountName: `user${dev}`,
    InitiatingProcessAccountSid: `S-1-5-21-1004336348-1177238915-682003330-${1000 + dev}`,
    InitiatingProcessAccountUpn: `user${dev}@contoso.com`,
    InitiatingProcessIntegrityLevel: 'Medium',
    InitiatingProcessTokenElevation: 'TokenElevationTypeLimited',
    ReportId: i,
    AdditionalFields: i % 4 === 0 ? { direction: 'Out' } : null,
  };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quarry-bench-'));
  const def = defaultCatalog().getTable('DeviceNetworkEvents');
  const store = await openStore(dir, { tables: [{ name: 'Narrow', columns: narrowCols }, { name: def.name, columns: physicalColumns(def) }] });
  try {
    const narrow = Array.from({ length: 1_000_000 }, (_, i) => ({ Timestamp: new Date(1_700_000_000_000 + i), Id: i, Name: `n${i % 5000}`, Value: i / 7 }));
    let t = performance.now();
    for (let off = 0; off < narrow.length; off += 100_000) await store.append('Narrow', narrow.slice(off, off + 100_000));
    let s = (performance.now() - t) / 1000;
    console.log(`narrow: ${narrow.length} rows in ${s.toFixed(2)} s = ${Math.round(narrow.length / s)} rows/s (batches of 100k)`);
    const wide = Array.from({ length: 100_000 }, (_, i) => networkRow(i));
    t = performance.now();
    for (let off = 0; off < wide.length; off += 10_000) await store.append('DeviceNetworkEvents', wide.slice(off, off + 10_000));
    s = (performance.now() - t) / 1000;
    const width = Object.keys(wide[0]!).length;
    console.log(`DeviceNetworkEvents (${width} of ${physicalColumns(def).length} columns filled): ${wide.length} rows in ${s.toFixed(2)} s = ${Math.round(wide.length / s)} rows/s (batches of 10k)`);
    console.log('counts', await store.count('Narrow'), await store.count('DeviceNetworkEvents'));
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
