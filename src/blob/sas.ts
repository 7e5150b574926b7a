/**
 * Signed URLs modelled on Azure's service SAS (version 2020-12-06 and later). The signature is
 * HMAC-SHA256, keyed with one of the install's two account keys, over Azure's string-to-sign:
 *
 *     sp \n st \n se \n /blob/<account>/<container>[/<blob>] \n si \n sip \n spr \n sv \n sr \n
 *     snapshot \n encryption-scope \n rscc \n rscd \n rsce \n rscl \n rsct
 *
 * Quarry signs the empty string for the fields it does not support (snapshots, scopes, response-header
 * overrides). Verification checks the signature first (constant time, against both keys), then the
 * stored access policy, the time window, the protocol, the caller's IP and the permission, and fails
 * with the meaning Azure gives each case.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { QuarryError } from '../core/errors.js';
import type { ErrorCode } from '../core/error-codes.js';
import type { AccountKeys, KeyName } from './account-keys.js';
import { checkBlobName, checkContainerName } from './names.js';
import { getPolicy } from './policies.js';
import type { StorageLayout } from './names.js';
import { normalizePermissions, type Permission } from './sas-permissions.js';

export const SAS_VERSION = '2022-11-02';
/** Versions whose string-to-sign Quarry computes (the 2020-12-06 layout). */
const SUPPORTED_VERSIONS = new Set(['2020-12-06', '2021-02-12', '2021-04-10', '2021-06-08', '2021-08-06', '2021-10-04', '2021-12-02', '2022-11-02']);

export interface SasRequest {
  readonly container: string;
  /** Absent for container-level operations (list). */
  readonly blob?: string;
  readonly permission: Permission;
  /** The query parameters of the request. */
  readonly params: URLSearchParams;
  readonly protocol: 'http' | 'https';
  /** The caller's IP address, when known (an IP-restricted URL fails without one). */
  readonly clientIp?: string;
  readonly now?: Date;
}

export interface SasGrant {
  readonly resource: 'b' | 'c';
  readonly permissions: string;
  readonly expiry: Date;
  readonly policy?: string;
  readonly key: KeyName;
}

export interface MintOptions {
  readonly container: string;
  readonly blob?: string;
  /** Letters of r, w, d, l (may come from the policy instead). */
  readonly permissions?: string;
  readonly start?: Date;
  /** May come from the policy instead. */
  readonly expiry?: Date;
  /** One address or an IPv4 range `a-b`. */
  readonly ip?: string;
  readonly httpsOnly?: boolean;
  readonly policy?: string;
  readonly key?: KeyName;
}

function fail(code: ErrorCode, azureCode: string, reason: string): QuarryError {
  const hints = code === 'blob/authentication-failed' ? ['mint a new signed URL (quarry blob sas, or POST /api/storage/sas)'] : undefined;
  return new QuarryError(code, `signed URL refused: ${reason}`, { details: { azureCode, reason }, ...(hints ? { hints } : {}) });
}

/** Azure's SAS time format: `YYYY-MM-DD`, `YYYY-MM-DDThh:mmZ` or `YYYY-MM-DDThh:mm:ss[.fffffff]Z`. */
function parseSasTime(v: string, what: string): Date {
  const ok = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?Z)?$/.test(v);
  const d = new Date(v.length === 10 ? `${v}T00:00:00Z` : v);
  if (!ok || Number.isNaN(d.getTime())) throw fail('blob/authentication-failed', 'AuthenticationFailed', `${what} '${v}' is not a valid UTC time`);
  return d;
}

export function formatSasTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function canonicalResource(account: string, container: string, blob: string | undefined): string {
  return `/blob/${account}/${container}${blob !== undefined ? `/${blob}` : ''}`;
}

/** The string signed for the given parameter values (empty string for absent ones). */
export function stringToSign(account: string, container: string, blob: string | undefined, p: (k: string) => string): string {
  return [
    p('sp'), p('st'), p('se'), canonicalResource(account, container, blob), p('si'), p('sip'), p('spr'), p('sv'), p('sr'),
    '', '', p('rscc'), p('rscd'), p('rsce'), p('rscl'), p('rsct'),
  ].join('\n');
}

function hmac(keyB64: string, text: string): Buffer {
  return createHmac('sha256', Buffer.from(keyB64, 'base64')).update(text, 'utf8').digest();
}

function checkIpRange(sip: string): void {
  const parts = sip.split('-');
  if (parts.length > 2 || parts.some((x) => isIP(x) === 0)) {
    throw new QuarryError('core/bad-argument', `'${sip}' is not an IP address or an IPv4 range a.b.c.d-e.f.g.h`);
  }
}

/** Builds the SAS query string (parameters in Azure's usual order). */
export function mintSas(keys: AccountKeys, opts: MintOptions): URLSearchParams {
  checkContainerName(opts.container);
  if (opts.blob !== undefined) checkBlobName(opts.blob);
  const sp = opts.permissions ? normalizePermissions(opts.permissions) : '';
  if (!opts.policy && !sp) throw new QuarryError('core/bad-argument', 'a signed URL needs permissions unless a stored access policy gives them');
  if (!opts.policy && !opts.expiry) throw new QuarryError('core/bad-argument', 'a signed URL needs an expiry unless a stored access policy gives one');
  if (sp.includes('l') && opts.blob !== undefined) throw new QuarryError('core/bad-argument', "the list permission 'l' needs a container URL (no blob name)");
  if (opts.start && opts.expiry && opts.start >= opts.expiry) throw new QuarryError('core/bad-argument', 'the expiry must be after the start');
  if (opts.ip) checkIpRange(opts.ip);
  const values: Record<string, string> = {
    sv: SAS_VERSION,
    ...(opts.start ? { st: formatSasTime(opts.start) } : {}),
    ...(opts.expiry ? { se: formatSasTime(opts.expiry) } : {}),
    sr: opts.blob !== undefined ? 'b' : 'c',
    ...(sp ? { sp } : {}),
    ...(opts.ip ? { sip: opts.ip } : {}),
    ...(opts.httpsOnly ? { spr: 'https' } : { spr: 'https,http' }),
    ...(opts.policy ? { si: opts.policy } : {}),
  };
  const keyName = opts.key ?? 'key1';
  const key = keys.keys.find((k) => k.name === keyName)!;
  const sig = hmac(key.value, stringToSign(keys.account, opts.container, opts.blob, (k) => values[k] ?? '')).toString('base64');
  return new URLSearchParams({ ...values, sig });
}

/** `true` when the query string carries a signature (the request claims SAS authorization). */
export function hasSas(params: URLSearchParams): boolean {
  return params.has('sig');
}

function ipToBigInt(ip: string): bigint | undefined {
  const v4 = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  if (isIP(v4) === 4) return v4.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
  return undefined;
}

function ipAllowed(sip: string, client: string | undefined): boolean {
  if (!client) return false;
  const [lo, hi] = sip.split('-') as [string, string | undefined];
  if (hi === undefined) {
    const a = ipToBigInt(lo);
    const b = ipToBigInt(client);
    return a !== undefined && b !== undefined ? a === b : lo.toLowerCase() === client.toLowerCase();
  }
  const [l, h, c] = [ipToBigInt(lo), ipToBigInt(hi), ipToBigInt(client)];
  return l !== undefined && h !== undefined && c !== undefined && c >= l && c <= h;
}

/** Verifies a SAS request against the keys and the container's policies; throws Azure-meaning errors. */
export async function verifySas(layout: StorageLayout, keys: AccountKeys, req: SasRequest): Promise<SasGrant> {
  const params = req.params;
  const p = (k: string) => params.get(k) ?? '';
  const authFail = (reason: string) => fail('blob/authentication-failed', 'AuthenticationFailed', reason);
  for (const k of ['sv', 'sr', 'sig', 'sp', 'st', 'se', 'si', 'sip', 'spr']) {
    if (params.getAll(k).length > 1) throw authFail(`query parameter '${k}' is given more than once`);
  }
  const sv = p('sv');
  if (!sv) throw authFail("the signed version 'sv' is missing");
  if (!SUPPORTED_VERSIONS.has(sv)) throw authFail(`signed version '${sv}' is not supported (use ${SAS_VERSION})`);
  const sr = p('sr');
  if (sr !== 'b' && sr !== 'c') throw authFail(`signed resource 'sr=${sr}' is not supported (b for a blob, c for a container)`);
  if (sr === 'b' && req.blob === undefined) {
    throw fail('blob/permission-mismatch', 'AuthorizationResourceTypeMismatch', 'a blob URL (sr=b) does not grant container operations');
  }
  // Signature first: nothing else about the URL is trusted before it is known to be ours.
  // A '+' pasted unencoded arrives as a space.
  const given = Buffer.from(p('sig').replace(/ /g, '+'), 'base64');
  const signed = stringToSign(keys.account, req.container, sr === 'b' ? req.blob : undefined, p);
  let matched: KeyName | undefined;
  for (const key of keys.keys) {
    const expect = hmac(key.value, signed);
    // Always compare (fixed 32-byte length) so timing does not reveal which key or how much matched.
    const same = given.length === expect.length && timingSafeEqual(given, expect);
    if (same && !matched) matched = key.name;
  }
  if (!matched) throw authFail('the signature does not match (the URL was altered, or signed with a key that has since been rotated)');

  let sp = p('sp');
  let st = p('st');
  let se = p('se');
  let policyId: string | undefined;
  if (p('si')) {
    policyId = p('si');
    const policy = await getPolicy(layout, req.container, policyId);
    if (!policy) throw authFail(`the stored access policy '${policyId}' does not exist (it was revoked or never created)`);
    const both = (['sp', 'st', 'se'] as const).filter((k) => p(k) && policy[k === 'sp' ? 'permissions' : k === 'st' ? 'start' : 'expiry']);
    if (both.length) throw authFail(`${both.join(', ')} are given both in the URL and in stored access policy '${policyId}'`);
    sp = sp || (policy.permissions ?? '');
    st = st || (policy.start ?? '');
    se = se || (policy.expiry ?? '');
  }
  if (!se) throw authFail("the signed expiry 'se' is missing (neither the URL nor its policy gives one)");
  if (!sp) throw authFail("the signed permissions 'sp' are missing (neither the URL nor its policy gives them)");
  const now = req.now ?? new Date();
  const expiry = parseSasTime(se, 'signed expiry');
  if (st) {
    const start = parseSasTime(st, 'signed start');
    if (start >= expiry) throw authFail(`signed expiry time [${formatSasTime(expiry)}] must be after signed start time [${formatSasTime(start)}]`);
    if (now < start) throw authFail(`signed start time [${formatSasTime(start)}] is after the current time [${formatSasTime(now)}]`);
  }
  if (now >= expiry) throw authFail(`signed expiry time [${formatSasTime(expiry)}] must be after the current time [${formatSasTime(now)}]: the URL has expired`);
  const spr = p('spr');
  if (spr && spr !== 'https' && spr !== 'https,http') throw authFail(`signed protocol 'spr=${spr}' is not valid (https or https,http)`);
  if (spr === 'https' && req.protocol !== 'https') {
    throw fail('blob/protocol-mismatch', 'AuthorizationProtocolMismatch', 'this URL may only be used over https');
  }
  const sip = p('sip');
  if (sip && !ipAllowed(sip, req.clientIp)) {
    throw fail('blob/ip-mismatch', 'AuthorizationSourceIPMismatch', `the caller's address ${req.clientIp ?? '(unknown)'} is outside the allowed range ${sip}`);
  }
  if (!/^[rwdl]+$/.test(sp)) throw authFail(`signed permissions 'sp=${sp}' hold letters Quarry does not grant`);
  if (!sp.includes(req.permission)) {
    const names: Record<Permission, string> = { r: 'read', w: 'write', d: 'delete', l: 'list' };
    throw fail('blob/permission-mismatch', 'AuthorizationPermissionMismatch', `the URL grants '${sp}' but this operation needs ${names[req.permission]} ('${req.permission}')`);
  }
  return { resource: sr, permissions: sp, expiry, key: matched, ...(policyId ? { policy: policyId } : {}) };
}
