/** A value that pivots to its Intel explorer page (every host, address, hash… is a link). */
import { Link } from '../lib/router';
import { fmtValue } from '../lib/format';

export function Pivot({ value }: { value: unknown }) {
  const s = fmtValue(value);
  if (!s) return null;
  return <Link to={`/intel/explorer/${encodeURIComponent(s)}`} className="pivot">{s}</Link>;
}
