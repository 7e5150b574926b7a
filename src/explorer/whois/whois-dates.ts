/**
 * WHOIS dates in the formats registries use → ISO 8601 UTC instants. Unknown formats give undefined (the raw
 * text is kept anyway). Dates without a zone are read as UTC; `(JST)`-style zone names are honoured for
 * the few registries that write them.
 */
const months: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
};

const zoneHours: Record<string, number> = { JST: 9, KST: 9, CST: 8, UTC: 0, GMT: 0, CET: 1, CEST: 2 };

function iso(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, offsetMin = 0, ms = 0): string | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1900 || y > 2200) return undefined;
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMin * 60_000;
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

function offsetOf(z: string | undefined): number {
  if (!z) return 0;
  const name = /\(?([A-Z]{3,4})\)?/.exec(z.trim());
  if (name && zoneHours[name[1]!] !== undefined) return zoneHours[name[1]!]! * 60;
  const m = /([+-])(\d{1,2}):?(\d{2})?/.exec(z);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

export function parseWhoisDate(text: string): string | undefined {
  const s = text.trim().replace(/^before\s+/i, '');
  let m = /^(\d{4})-(\d{2})-(\d{2})-?(?:[T\s](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{2}\b)?(.*)$/i.exec(s);
  if (m) {
    const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
    const off = m[8] && m[8] !== 'Z' && m[8] !== 'z' ? offsetOf(m[8]) : offsetOf(/GMT|UTC/.test(m[9] ?? '') ? (m[9] ?? '').replace(/^.*?(GMT|UTC)/, '') : m[9]);
    return iso(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), off, ms);
  }
  m = /^(\d{4})[/.]\s?(\d{1,2})[/.]\s?(\d{1,2})\.?(?:\s+(\d{2}):(\d{2})(?::(\d{2}))?)?\s*(.*)$/.exec(s);
  if (m) return iso(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), offsetOf(m[7]));
  m = /^(\d{4})(\d{2})(\d{2})(?:\s+(\d{2}):(\d{2}):(\d{2}))?/.exec(s);
  if (m) return iso(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  m = /^(\d{1,2})[-\s]([A-Za-z]{3,9})[-\s](\d{4})(?:\s+(\d{2}):(\d{2}):(\d{2}))?/.exec(s);
  if (m && months[m[2]!.toLowerCase()]) return iso(+m[3]!, months[m[2]!.toLowerCase()]!, +m[1]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  m = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?:\s+(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(s);
  if (m) return iso(+m[3]!, +m[2]!, +m[1]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  m = /^[A-Za-z]{3}\s+([A-Za-z]{3})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+(\w+)?\s*(\d{4})$/.exec(s);
  if (m && months[m[1]!.toLowerCase()]) return iso(+m[7]!, months[m[1]!.toLowerCase()]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, offsetOf(m[6]));
  return undefined;
}
