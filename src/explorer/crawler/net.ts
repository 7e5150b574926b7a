/**
 * The crawler's own network side requests (robots.txt, TLS certificates), honouring the same host→address
 * override the browser gets, so tests can serve any hostname from 127.0.0.1 and nothing is resolved in DNS
 * for an overridden name.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import tls from 'node:tls';

export type HostMap = Readonly<Record<string, string>>;

export function lookupWith(map: HostMap): LookupFunction {
  return ((hostname: string, options: { all?: boolean }, cb: (...a: unknown[]) => void) => {
    const addr = map[hostname.toLowerCase()];
    if (!addr) {
      // Not overridden: refuse rather than resolve (the crawler only talks to hosts it was told about,
      // unless the caller passes no map at all).
      const e = Object.assign(new Error(`host ${hostname} is not in the crawler's address map`), { code: 'ENOTFOUND' });
      return cb(e);
    }
    const family = addr.includes(':') ? 6 : 4;
    if (options?.all) cb(null, [{ address: addr, family }]);
    else cb(null, addr, family);
  }) as unknown as LookupFunction;
}

export async function fetchText(url: string, map: HostMap | undefined, timeoutMs: number, maxBytes: number): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.get(
      url,
      { timeout: timeoutMs, rejectUnauthorized: false, ...(map ? { lookup: lookupWith(map) } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        let n = 0;
        res.on('data', (d: Buffer) => {
          n += d.length;
          if (n <= maxBytes) chunks.push(d);
          else res.destroy();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('close', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

export interface PeerCertificate {
  readonly host: string;
  readonly port: number;
  readonly raw: Buffer;
  readonly protocol: string;
}

/** The certificate a host presents on `port` (SNI = host), verification off: we record, not trust. */
export async function fetchCertificate(host: string, port: number, map: HostMap | undefined, timeoutMs: number): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const addr = map?.[host.toLowerCase()];
    const sock = tls.connect({ host: addr ?? host, port, servername: host, rejectUnauthorized: false, timeout: timeoutMs }, () => {
      const cert = sock.getPeerX509Certificate();
      const protocol = sock.getProtocol() ?? '';
      sock.end();
      if (!cert) reject(new Error(`${host}:${port} presented no certificate`));
      else resolve({ host, port, raw: cert.raw, protocol });
    });
    sock.on('timeout', () => sock.destroy(new Error(`TLS to ${host}:${port} timed out`)));
    sock.on('error', reject);
  });
}

/** robots.txt: is `path` allowed for `User-agent: *` (or our agent)? Longest matching rule wins. */
export function robotsAllows(robots: string, path: string, agent = 'quarry'): boolean {
  const groups: { agents: string[]; rules: { allow: boolean; path: string }[] }[] = [];
  let cur: (typeof groups)[number] | undefined;
  let lastWasAgent = false;
  for (const raw of robots.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (key === 'user-agent') {
      if (!lastWasAgent || !cur) groups.push((cur = { agents: [], rules: [] }));
      cur.agents.push(value.toLowerCase());
      lastWasAgent = true;
    } else {
      lastWasAgent = false;
      if (cur && (key === 'allow' || key === 'disallow') && value !== '') cur.rules.push({ allow: key === 'allow', path: value });
    }
  }
  const mine = groups.find((g) => g.agents.some((a) => a !== '*' && agent.toLowerCase().includes(a))) ?? groups.find((g) => g.agents.includes('*'));
  if (!mine) return true;
  let best: { allow: boolean; path: string } | undefined;
  for (const r of mine.rules) {
    const re = new RegExp('^' + r.path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\\\$$/, '$'));
    if (re.test(path) && (!best || r.path.length > best.path.length)) best = r;
  }
  return best ? best.allow : true;
}
