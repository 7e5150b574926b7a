/**
 * A compact notation for column lists, so that table files read like the published schema tables:
 * `Name:type` items separated by whitespace or commas, in published order. An item without `:type`
 * is a `string` column (most columns of the published schemas are strings).
 */
import { QuarryError } from '../core/errors.js';
import { isKqlScalarType, type ColumnDef, type EntityColumn, type EntityKind } from './types.js';

/** Parses `'Timestamp:datetime DeviceId DeviceName RemotePort:int'` into column definitions. */
export function columns(spec: string): ColumnDef[] {
  const out: ColumnDef[] = [];
  for (const item of spec.split(/[\s,]+/)) {
    if (item === '') continue;
    const colon = item.indexOf(':');
    const name = colon < 0 ? item : item.slice(0, colon);
    const type = colon < 0 ? 'string' : item.slice(colon + 1);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new QuarryError('catalog/bad-column', `'${item}' is not a valid column name in a column list`);
    }
    if (!isKqlScalarType(type)) {
      throw new QuarryError('catalog/bad-type', `column '${name}' has type '${type}', which is not a KQL scalar type`);
    }
    out.push({ name, type });
  }
  return out;
}

/** Entity column entries of one kind: `entities('ip', 'RemoteIP', 'LocalIP')`. */
export function entities(kind: EntityKind, ...cols: string[]): EntityColumn[] {
  return cols.map((column) => ({ column, kind }));
}

/** The six version-information columns Defender repeats with a prefix (`InitiatingProcess`, `Process`). */
export function versionInfo(prefix: string): string {
  return ['CompanyName', 'ProductName', 'ProductVersion', 'InternalFileName', 'OriginalFileName', 'FileDescription']
    .map((s) => `${prefix}VersionInfo${s}`)
    .join(' ');
}

/** The five account columns of the initiating process, in Defender's order. */
export const initiatingAccount =
  'InitiatingProcessAccountDomain InitiatingProcessAccountName InitiatingProcessAccountSid InitiatingProcessAccountUpn InitiatingProcessAccountObjectId';

/** The four remote-session columns Defender appended to device tables in 2024. */
export const initiatingRemoteSession =
  'InitiatingProcessSessionId:long IsInitiatingProcessRemoteSession:bool InitiatingProcessRemoteSessionDeviceName InitiatingProcessRemoteSessionIP';
