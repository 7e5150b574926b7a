/**
 * Starts Debian's `clickhouse-server` (18.16) on 127.0.0.1 in a temp dir with a generated config:
 * one server, cluster `quarry` of two shards (databases `shard1`, `shard2` on the same server, the
 * classic single-host way to exercise a Distributed table).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const SERVER_BIN = '/usr/sbin/clickhouse-server';

export function debianServerUnavailable(): string | null {
  return existsSync(SERVER_BIN) ? null : `${SERVER_BIN} is missing (apt-get install -y clickhouse-server)`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}

export interface RunningServer {
  readonly httpUrl: string;
  stop(): Promise<void>;
}

export async function startDebianServer(): Promise<RunningServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'quarry-ch-'));
  const [http, tcp, interserver] = [await freePort(), await freePort(), await freePort()];
  const shard = (db: string) => `<shard><replica><host>127.0.0.1</host><port>${tcp}</port><default_database>${db}</default_database></replica></shard>`;
  writeFileSync(path.join(dir, 'users.xml'), `<?xml version="1.0"?><yandex>
<profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
<users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
<quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>`);
  writeFileSync(path.join(dir, 'config.xml'), `<?xml version="1.0"?><yandex>
<logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/error.log</errorlog><console>0</console></logger>
<listen_host>127.0.0.1</listen_host>
<http_port>${http}</http_port><tcp_port>${tcp}</tcp_port><interserver_http_port>${interserver}</interserver_http_port>
<path>${dir}/data/</path><tmp_path>${dir}/tmp/</tmp_path><user_files_path>${dir}/user_files/</user_files_path><format_schema_path>${dir}/format_schemas/</format_schema_path>
<users_config>${dir}/users.xml</users_config>
<default_profile>default</default_profile><default_database>default</default_database>
<mark_cache_size>268435456</mark_cache_size><uncompressed_cache_size>268435456</uncompressed_cache_size>
<remote_servers><quarry>${shard('shard1')}${shard('shard2')}</quarry></remote_servers>
<timezone>UTC</timezone>
</yandex>`);
  const child: ChildProcess = spawn(SERVER_BIN, [`--config-file=${path.join(dir, 'config.xml')}`], { cwd: dir, stdio: 'ignore' });
  const httpUrl = `http://127.0.0.1:${http}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const r = await fetch(`${httpUrl}/ping`);
      if (r.ok) break;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`clickhouse-server did not start (exit ${child.exitCode}); see ${dir}/error.log`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    httpUrl,
    async stop() {
      child.kill('SIGTERM');
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => { child.kill('SIGKILL'); resolve(); }, 10_000);
        child.once('exit', () => { clearTimeout(t); resolve(); });
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
