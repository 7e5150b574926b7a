/**
 * Defender XDR's advanced-hunting functions `FileProfile()` and `AssignedIPAddresses()`. `FileProfile()`, declared to the binder as a database
 * function with a KQL body (like the ASIM parsers), so `… | invoke FileProfile(SHA1, 100)` runs unchanged.
 *
 * Defender fills the profile from Microsoft's global telemetry; Quarry, self-hosted, fills it from the events in
 * this store — so "Global" means "seen in this organisation":
 * - `SHA1`, `SHA256`, `MD5`, `FileSize`, `GlobalPrevalence` (distinct devices), `GlobalFirstSeen`/`GlobalLastSeen`
 *   (first/last event), `Publisher` and `SoftwareName` (version info of the file as a process): from
 *   DeviceFileEvents, DeviceProcessEvents (the process and its initiating process) and DeviceImageLoadEvents;
 * - `Signer`, `Issuer`, `SignerHash`, `IsCertificateValid` (= IsTrusted), `IsRootSignerMicrosoft` and
 *   `SignatureState` (SignedValid, SignedInvalid, Unsigned, Unknown): the latest DeviceFileCertificateInfo row;
 * - `ThreatName`: an active threat-intelligence file-hash indicator on the SHA-1, SHA-256 or MD5 (its ThreatType,
 *   else its description);
 * - `IsExecutable`: the file name has a PE extension (exe, dll, sys, scr, cpl, ocx, drv, efi, com, mui);
 * - `ProfileAvailability`: Available, Missing (no event knows the file), or empty (no file id, or beyond the limit).
 *
 * Arguments as documented: `x` the file id column (SHA1 — the default —, SHA256, InitiatingProcessSHA1,
 * InitiatingProcessSHA256), written bare or quoted; `y` how many distinct files to enrich (default 100). The
 * profile columns are joined to the input, so names the input already has get Kusto's join suffix (`SHA11`).
 */
import type { SchemaFunction } from './kusto-adapter.js';

const ID_COLUMNS = ['SHA1', 'SHA256', 'InitiatingProcessSHA1', 'InitiatingProcessSHA256'] as const;

const body = `{
  let __fp_by256 = x in ("SHA256", "InitiatingProcessSHA256");
  // Materialised: the input and the chosen keys are each read twice below, and may come from a take or a
  // sample that must not pick other rows the second time.
  let __fp_in = materialize(T
    | extend __fp_key = tolower(tostring(case(
        x == "SHA256", column_ifexists("SHA256", ""),
        x == "InitiatingProcessSHA1", column_ifexists("InitiatingProcessSHA1", ""),
        x == "InitiatingProcessSHA256", column_ifexists("InitiatingProcessSHA256", ""),
        column_ifexists("SHA1", "")))));
  let __fp_keys = materialize(__fp_in | where isnotempty(__fp_key) | summarize by __fp_key | take y);
  let __fp_seen = union
      (DeviceFileEvents | project Timestamp, DeviceId, SHA1, SHA256, MD5, FileSize, FileName, __pub = "", __sw = ""),
      (DeviceProcessEvents | project Timestamp, DeviceId, SHA1, SHA256, MD5, FileSize, FileName, __pub = ProcessVersionInfoCompanyName, __sw = ProcessVersionInfoProductName),
      (DeviceProcessEvents | project Timestamp, DeviceId, SHA1 = InitiatingProcessSHA1, SHA256 = InitiatingProcessSHA256, MD5 = InitiatingProcessMD5,
          FileSize = InitiatingProcessFileSize, FileName = InitiatingProcessFileName, __pub = InitiatingProcessVersionInfoCompanyName, __sw = InitiatingProcessVersionInfoProductName),
      (DeviceImageLoadEvents | project Timestamp, DeviceId, SHA1, SHA256, MD5, FileSize, FileName, __pub = "", __sw = "")
    | extend __fp_key = iff(__fp_by256, tolower(SHA256), tolower(SHA1))
    | where __fp_key in (__fp_keys)
    | summarize __sha1 = take_anyif(tolower(SHA1), isnotempty(SHA1)), __sha256 = take_anyif(tolower(SHA256), isnotempty(SHA256)),
        __md5 = take_anyif(tolower(MD5), isnotempty(MD5)), __size = max(FileSize), __prevalence = dcount(DeviceId),
        __first = min(Timestamp), __last = max(Timestamp), __name = take_anyif(FileName, isnotempty(FileName)),
        __publisher = take_anyif(__pub, isnotempty(__pub)), __software = take_anyif(__sw, isnotempty(__sw))
      by __fp_key;
  let __fp_certs = DeviceFileCertificateInfo
    | summarize arg_max(Timestamp, IsSigned, IsTrusted, Signer, Issuer, SignerHash, IsRootSignerMicrosoft) by __sha1 = tolower(SHA1)
    | project-away Timestamp;
  let __fp_ti = ThreatIntelligenceIndicator
    | summarize arg_max(TimeGenerated, Active, ExpirationDateTime, FileHashValue, ThreatType, Description) by IndicatorId
    | where Active == true and (isnull(ExpirationDateTime) or ExpirationDateTime > now()) and isnotempty(FileHashValue)
    | summarize __threat = take_any(iff(isnotempty(ThreatType), ThreatType, Description)) by __hash = tolower(FileHashValue);
  let __fp_profiles = __fp_keys
    | join kind=leftouter (__fp_seen) on __fp_key
    | project-away __fp_key1
    | lookup kind=leftouter (__fp_certs) on __sha1
    | lookup kind=leftouter (__fp_ti | project __sha1 = __hash, __t1 = __threat) on __sha1
    | lookup kind=leftouter (__fp_ti | project __sha256 = __hash, __t2 = __threat) on __sha256
    | lookup kind=leftouter (__fp_ti | project __md5 = __hash, __t3 = __threat) on __md5
    | project __fp_key, SHA1 = __sha1, SHA256 = __sha256, MD5 = __md5, FileSize = toint(__size), GlobalPrevalence = toint(__prevalence),
        GlobalFirstSeen = __first, GlobalLastSeen = __last, Signer = tostring(Signer), Issuer = tostring(Issuer), SignerHash = tostring(SignerHash),
        IsCertificateValid = IsTrusted, IsRootSignerMicrosoft,
        SignatureState = case(isnull(__first), "", isnull(IsSigned), "Unknown", IsSigned == false, "Unsigned", IsTrusted == true, "SignedValid", "SignedInvalid"),
        IsExecutable = iff(isempty(__name), bool(null), tolower(__name) matches regex @"[.](exe|dll|sys|scr|cpl|ocx|drv|efi|com|mui)$"),
        ThreatName = iff(isnotempty(__t1), __t1, iff(isnotempty(__t2), __t2, tostring(__t3))),
        Publisher = tostring(__publisher), SoftwareName = tostring(__software),
        ProfileAvailability = iff(isnull(__first), "Missing", "Available");
  __fp_in
  | join kind=leftouter (__fp_profiles) on __fp_key
  | project-away __fp_key, __fp_key1
}`;

/**
 * `AssignedIPAddresses(x, y)`: the IP addresses of device `x` (DeviceId or DeviceName) in its latest
 * DeviceNetworkInfo report per network adapter at or before `y` (default: the latest reports). Columns as
 * documented: Timestamp (of that report), IPAddress, IPType (the report's AddressType, else Private/Public by
 * address), NetworkAdapterType, ConnectedNetworks.
 */
const assignedIpBody = `{
  DeviceNetworkInfo
  | where (DeviceId =~ x or DeviceName =~ x) and (isnull(y) or Timestamp <= y)
  | summarize arg_max(Timestamp, NetworkAdapterType, ConnectedNetworks, IPAddresses) by MacAddress, NetworkAdapterName
  | mv-expand __ip = todynamic(IPAddresses)
  | extend IPAddress = tostring(__ip.IPAddress), __type = tostring(__ip.AddressType)
  | where isnotempty(IPAddress)
  | project Timestamp, IPAddress, IPType = iff(isnotempty(__type), __type, iff(ipv4_is_private(IPAddress), "Private", "Public")),
      NetworkAdapterType, ConnectedNetworks
}`;

export function defenderFunctions(): SchemaFunction[] {
  return [
    { name: 'FileProfile', parameters: "(T:(*), x:string='SHA1', y:long=100)", body },
    { name: 'AssignedIPAddresses', parameters: '(x:string, y:datetime=datetime(null))', body: assignedIpBody },
  ];
}

/** A position map from rewritten text back to the text as written. */
export interface Rewritten {
  readonly text: string;
  /** Offset in the rewritten text → offset in the original. */
  toOriginal(offset: number): number;
}

/**
 * Defender accepts `invoke FileProfile(SHA1, 100)` with the column named bare; the binder needs a string. Quotes
 * a bare first argument that is one of the documented id columns (2 characters inserted per call; `toOriginal`
 * maps positions back so errors point at the text as written).
 */
export function quoteFileProfileArgs(text: string): Rewritten {
  const inserts: { at: number; len: number }[] = []; // original offset and length of each quoted name
  const re = new RegExp(`(\\bFileProfile\\s*\\(\\s*)(${ID_COLUMNS.join('|')})(?=\\s*[,)])`, 'g');
  const out = text.replace(re, (_m, head: string, col: string, offset: number) => {
    inserts.push({ at: offset + head.length, len: col.length });
    return `${head}"${col}"`;
  });
  if (inserts.length === 0) return { text, toOriginal: (o) => o };
  return {
    text: out,
    toOriginal(r: number): number {
      let shift = 0;
      for (const { at, len } of inserts) {
        const open = at + shift; // the inserted opening quote, in the rewritten text
        if (r < open) return r - shift;
        if (r === open) return at;
        if (r <= open + len) return r - shift - 1;
        if (r === open + len + 1) return at + len;
        shift += 2;
      }
      return r - shift;
    },
  };
}
