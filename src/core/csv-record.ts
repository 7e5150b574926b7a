/**
 * One CSV record (RFC 4180: comma separator, `"` quoting with `""` escapes, quoted fields may hold commas,
 * quotes and line breaks) into its fields. Shared by the CSV ingest reader and KQL `parse_csv`.
 */

/** Splits one complete CSV record into fields; null when quotes are unbalanced. */
export function splitCsvRecord(text: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    if (i < n && text.charCodeAt(i) === 34) {
      let v = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return null;
        v += text.slice(i, q);
        if (text.charCodeAt(q + 1) === 34) {
          v += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      out.push(v);
      if (i < n && text.charCodeAt(i) !== 44) return null; // junk after a closing quote
    } else {
      const c = text.indexOf(',', i);
      const end = c < 0 ? n : c;
      out.push(text.slice(i, end));
      i = end;
    }
    if (i >= n) return out;
    i++; // the comma
    if (i === n) {
      out.push('');
      return out;
    }
  }
}

/**
 * The first record of `text` (a line break outside quotes ends it; CRLF or LF) split into fields, or null when
 * its quotes are unbalanced — KQL `parse_csv`, which takes only the first record.
 */
export function firstCsvRecord(text: string): string[] | null {
  let inQuotes = false;
  let end = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) inQuotes = !inQuotes;
    else if (c === 10 && !inQuotes) {
      end = i > 0 && text.charCodeAt(i - 1) === 13 ? i - 1 : i;
      break;
    }
  }
  return splitCsvRecord(text.slice(0, end));
}
