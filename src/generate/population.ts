/**
 * The stable estate the events happen in: a tenant, its users, devices, domain controllers and the
 * programs they run. It depends only on the seed and the population sizes (not on the row budget),
 * so the same DeviceId / UPN / SID show up whatever the scale and whichever tables are generated.
 */
import { createHash } from 'node:crypto';
import { Rng, hashGuid, hashHex } from './prng.js';
import { benignSites, departments, firstNames, lastNames, programs, type ProgramSpec } from './vocab.js';

export interface User {
  readonly name: string; // sam account name, e.g. adele.vance
  readonly displayName: string;
  readonly upn: string;
  readonly email: string;
  readonly sid: string;
  readonly objectId: string;
  readonly department: string;
}

export interface Device {
  readonly id: string; // 40 hex digits, like Defender's DeviceId
  readonly name: string; // fqdn, lowercase
  readonly ip: string; // private IPv4
  readonly user: number; // index of the primary user
  readonly server: boolean;
}

export interface Program extends ProgramSpec {
  readonly sha1: string;
  readonly sha256: string;
  readonly md5: string;
  readonly size: number;
}

export interface Site {
  readonly host: string;
  readonly path: string;
  readonly ip: string; // public IPv4 the host resolves to in this estate
}

export interface Population {
  readonly tenantId: string;
  readonly domain: string; // DNS domain, e.g. contoso.com
  readonly netbios: string;
  readonly users: readonly User[];
  readonly devices: readonly Device[];
  readonly dcs: readonly Device[];
  readonly programs: readonly Program[];
  readonly sites: readonly Site[];
  /** Public egress address of the office (NAT). */
  readonly egressIp: string;
}

export interface PopulationSize {
  readonly users: number;
  readonly devices: number;
}

export const defaultPopulationSize: PopulationSize = { users: 180, devices: 240 };

const P_POP = 0x706f70; // stream id: population

/** Deterministic file hashes of a program: real-looking digests of its name and version. */
function digest(alg: 'sha1' | 'sha256' | 'md5', text: string): string {
  return createHash(alg).update(text).digest('hex');
}

/** Public IPv4 for a host, from address blocks big providers use; never private, never a doc range. */
export function publicIpFor(seed: number, key: number): string {
  const firsts = [13, 20, 23, 34, 35, 40, 52, 104, 140, 142, 151, 157, 185];
  const r = new Rng(seed, key);
  const a = firsts[r.int(0, firsts.length - 1)] as number;
  return `${a}.${r.int(16, 250)}.${r.int(0, 255)}.${r.int(1, 254)}`;
}

export function buildPopulation(seed: number, size: PopulationSize = defaultPopulationSize): Population {
  const rng = new Rng(seed, P_POP);
  const domain = 'contoso.com';
  const netbios = 'CONTOSO';
  const domainSid = `S-1-5-21-${1_000_000_000 + rng.int(0, 999_999_999)}-${1_000_000_000 + rng.int(0, 999_999_999)}-${1_000_000_000 + rng.int(0, 999_999_999)}`;

  const users: User[] = [];
  const seen = new Set<string>();
  for (let i = 0; users.length < size.users; i++) {
    const f = firstNames[(i * 7 + rng.int(0, firstNames.length - 1)) % firstNames.length] as string;
    const l = lastNames[rng.int(0, lastNames.length - 1)] as string;
    let name = `${f}.${l}`;
    if (seen.has(name)) name = `${f}.${l}${users.length}`;
    seen.add(name);
    const display = `${cap(f)} ${cap(l)}`;
    users.push({
      name,
      displayName: display,
      upn: `${name}@${domain}`,
      email: `${name}@${domain}`,
      sid: `${domainSid}-${1104 + users.length}`,
      objectId: hashGuid(seed, P_POP, 1, users.length),
      department: rng.pick(departments),
    });
  }

  const devices: Device[] = [];
  const servers = Math.max(2, Math.round(size.devices / 20));
  for (let i = 0; i < size.devices; i++) {
    const server = i < servers;
    const name = server
      ? `srv-${['fs', 'app', 'sql', 'web', 'print'][i % 5]}${String(Math.floor(i / 5) + 1).padStart(2, '0')}.${domain}`
      : `${rng.chance(0.6) ? 'laptop' : 'desktop'}-${rng.hex(7)}.${domain}`;
    devices.push({
      id: hashHex(40, seed, P_POP, 2, i),
      name,
      ip: server ? `10.0.1.${10 + i}` : `10.${rng.int(10, 40)}.${rng.int(0, 255)}.${rng.int(2, 254)}`,
      user: i % size.users,
      server,
    });
  }
  const dcs: Device[] = [1, 2].map((n) => ({
    id: hashHex(40, seed, P_POP, 3, n),
    name: `dc0${n}.${domain}`,
    ip: `10.0.0.${9 + n}`,
    user: 0,
    server: true,
  }));

  const progs: Program[] = programs.map((p, i) => ({
    ...p,
    sha1: digest('sha1', `${p.file}/${p.version}`),
    sha256: digest('sha256', `${p.file}/${p.version}`),
    md5: digest('md5', `${p.file}/${p.version}`),
    size: 100_000 + ((i * 7919 * 104_729) % 4_000_000),
  }));

  const sites: Site[] = benignSites.map(([host, path], i) => ({ host, path, ip: publicIpFor(seed, 0x5173 + i) }));

  return {
    tenantId: hashGuid(seed, P_POP, 4),
    domain,
    netbios,
    users,
    devices,
    dcs,
    programs: progs,
    sites,
    egressIp: publicIpFor(seed, 0xe9e55),
  };
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Folder of a program with the user's profile filled in. */
export function programFolder(p: Program, user: User): string {
  return p.folder.replace('{user}', user.name);
}
