/**
 * The contract between the generator engine and one table's row maker, plus helpers the Device*
 * makers share (the initiating-process block Defender repeats in every device table).
 */
import type { GeneratedTableName, ResolvedOptions } from './options.js';
import type { PlantIndex, PlantColumnKind } from './plant-index.js';
import type { PlantConfig, PlantedIndicator } from './plant.js';
import { hash32, type Rng } from './prng.js';
import { programFolder, type Device, type Population, type Program, type User } from './population.js';

export type Row = Record<string, unknown>;

/** One way a row can carry an indicator (e.g. the host `login.dancevida.com` as a bare FQDN in RemoteUrl). */
export interface Variant {
  readonly indicator: PlantedIndicator;
  readonly value: string;
  readonly form: string;
}

export interface TableCtx {
  readonly table: GeneratedTableName;
  readonly seed: number;
  readonly rng: Rng;
  readonly pop: Population;
  readonly opts: ResolvedOptions;
  /** Rows this table gets. */
  readonly n: number;
  readonly plant: PlantConfig | null;
  /** Makers that decide planting themselves (the mail tables) set this for a planted row. */
  planted: boolean;
}

export interface TableGenerator {
  readonly table: GeneratedTableName;
  /** Columns whose values, joined with '|', identify a row in the planted truth. */
  readonly keyColumns: readonly string[];
  /** Columns that can reference an indicator, and how to read them. */
  readonly plantColumns: Readonly<Record<string, PlantColumnKind>>;
  /**
   * The ways a row of this table can be planted; the engine plants a `rate` fraction of rows plus one
   * of each variant near the end of the window. Absent: the maker plants by itself and sets `ctx.planted`.
   */
  variants?(plant: PlantConfig): Variant[];
  /** Makes row `i` (0-based) with event time `ts` (epoch ms). */
  row(ctx: TableCtx, i: number, ts: number, variant: Variant | null, index: PlantIndex | null): Row;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Per-process facts that stay stable for a (device, program) pair: pid and start time. */
export function processOf(seed: number, dev: number, prog: number, ts: number): { pid: number; created: number; ppid: number; pcreated: number } {
  const h = hash32(seed, dev, prog);
  // A process lives for a day-sized epoch; its start time sits within the epoch before `ts`.
  const epoch = Math.floor(ts / DAY);
  const h2 = hash32(h, epoch);
  const created = Math.min(ts - 1000, epoch * DAY + (h2 % DAY));
  const pcreated = created - 1000 - (h2 % (6 * HOUR));
  return { pid: 1000 + (h2 % 30000) * 4, created, ppid: 400 + ((h2 >>> 8) % 9000) * 4, pcreated };
}

export interface Actor {
  readonly devIndex: number;
  readonly dev: Device;
  readonly user: User;
}

/** Picks a device (busy devices more often) and the user working on it. */
export function pickActor(ctx: TableCtx): Actor {
  const { pop, rng } = ctx;
  const devIndex = rng.skewed(pop.devices.length, 1.6);
  const dev = pop.devices[devIndex] as Device;
  const user = dev.server ? (pop.users[rng.int(0, 7)] as User) : (pop.users[dev.user] as User);
  return { devIndex, dev, user };
}

export function fillCommand(template: string, user: User, extra: { url?: string; file?: string; n?: number }): string {
  return template
    .replace('{user}', user.name)
    .replace('{url}', extra.url ?? 'https://www.office.com/')
    .replace('{file}', extra.file ?? 'notes.txt')
    .replace('{n}', String(extra.n ?? 4711));
}

/**
 * The `InitiatingProcess*` columns (Defender's shared block), in one object with a fixed key order.
 * `parent` is the parent program's file name.
 */
export function initiatingBlock(ctx: TableCtx, a: Actor, progIndex: number, ts: number, cmd: string, parent: string, integrity = true): Row {
  const p = ctx.pop.programs[progIndex] as Program;
  const proc = processOf(ctx.seed, a.devIndex, progIndex, ts);
  const system = p.integrity === 'System';
  const block: Row = {
    InitiatingProcessSHA1: p.sha1,
    InitiatingProcessSHA256: p.sha256,
    InitiatingProcessMD5: p.md5,
    InitiatingProcessFileName: p.file,
    InitiatingProcessFileSize: p.size,
    InitiatingProcessVersionInfoCompanyName: p.company,
    InitiatingProcessVersionInfoProductName: p.product,
    InitiatingProcessVersionInfoProductVersion: p.version,
    InitiatingProcessVersionInfoInternalFileName: p.file.replace(/\.exe$/i, ''),
    InitiatingProcessVersionInfoOriginalFileName: p.file,
    InitiatingProcessVersionInfoFileDescription: p.description,
    InitiatingProcessId: proc.pid,
    InitiatingProcessCommandLine: cmd,
    InitiatingProcessCreationTime: new Date(proc.created),
    InitiatingProcessFolderPath: `${programFolder(p, a.user)}\\${p.file}`.toLowerCase(),
    InitiatingProcessParentFileName: parent,
    InitiatingProcessParentId: proc.ppid,
    InitiatingProcessParentCreationTime: new Date(proc.pcreated),
    InitiatingProcessAccountDomain: system ? 'nt authority' : ctx.pop.netbios.toLowerCase(),
    InitiatingProcessAccountName: system ? 'system' : a.user.name,
    InitiatingProcessAccountSid: system ? 'S-1-5-18' : a.user.sid,
    InitiatingProcessAccountUpn: system ? '' : a.user.upn,
    InitiatingProcessAccountObjectId: system ? '' : a.user.objectId,
  };
  // DeviceEvents is the one device table without the integrity / elevation pair.
  if (integrity) {
    block.InitiatingProcessIntegrityLevel = p.integrity;
    block.InitiatingProcessTokenElevation = p.integrity === 'High' || system ? 'TokenElevationTypeDefault' : 'TokenElevationTypeLimited';
  }
  return block;
}

/** Picks a program index, optionally only among those that talk to the network. */
export function pickProgram(ctx: TableCtx, network: boolean): number {
  const progs = ctx.pop.programs;
  for (;;) {
    const i = ctx.rng.skewed(progs.length, 1.4);
    if (!network || (progs[i] as Program).network) return i;
  }
}

export function programIndex(pop: Population, file: string): number {
  const i = pop.programs.findIndex((p) => p.file === file);
  if (i < 0) throw new Error(`no program '${file}' in the population`);
  return i;
}

/** Variants for every observed host of domain indicators, optionally filtered by role, in each form. */
export function hostVariants(plant: PlantConfig, forms: readonly string[], roles?: readonly string[]): Variant[] {
  const out: Variant[] = [];
  for (const ind of plant.indicators) {
    if (ind.kind !== 'domain' || (roles && !roles.includes(ind.role))) continue;
    for (const host of ind.observed && ind.observed.length ? ind.observed : [ind.value]) {
      for (const form of forms) out.push({ indicator: ind, value: host, form });
    }
  }
  return out;
}

export function kindVariants(plant: PlantConfig, kinds: readonly string[], form: string, roles?: readonly string[]): Variant[] {
  const out: Variant[] = [];
  for (const ind of plant.indicators) {
    if (!kinds.includes(ind.kind) || (roles && !roles.includes(ind.role))) continue;
    for (const v of ind.observed && ind.observed.length ? ind.observed : [ind.value]) out.push({ indicator: ind, value: v, form });
  }
  return out;
}

/** A path on a planted host that looks like a phishing kit or C2 endpoint. */
export function plantedPath(ind: PlantedIndicator, k: number): string {
  // Never the exact path of a planted URL indicator: host variants should reference the host only.
  const phish = ['/owa/signin/index.php', '/invoice/view.php?id=2291', '/wp-content/plugins/secure/index.html', '/auth/session'];
  const c2 = ['/api/v2/beacon', '/update/check', '/cdn/assets/app.js', '/gate.php'];
  const list = ind.role === 'phish' || ind.role === 'sender' ? phish : c2;
  return list[k % list.length] as string;
}
