/**
 * The results grid: virtualised (only the rows in view are in the DOM, so 30,000 rows scroll smoothly),
 * sortable by any column (click the header; again to reverse), a column chooser, copy (selected rows or
 * all, as TSV) and CSV export. Keyboard: arrow keys / PageUp / PageDown / Home / End move the selection,
 * Ctrl+C copies it.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { copyText, download, fmtValue, toCsv } from '../lib/format';

export interface GridColumn {
  readonly name: string;
  readonly type?: string;
}

const ROW_H = 28;
const OVERSCAN = 12;

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined || a === '') return 1;
  if (b === null || b === undefined || b === '') return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const na = Number(a);
  const nb = Number(b);
  if (typeof a !== 'object' && !Number.isNaN(na) && !Number.isNaN(nb) && String(a).trim() !== '' && String(b).trim() !== '') return na - nb;
  const sa = fmtValue(a);
  const sb = fmtValue(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export interface DataGridProps {
  readonly columns: readonly GridColumn[];
  readonly rows: readonly Record<string, unknown>[];
  readonly height?: number;
  /** Name for exported files. */
  readonly exportName?: string;
  /** Render a cell specially (pivot links); default shows the value as text. */
  readonly renderCell?: (column: string, value: unknown, row: Record<string, unknown>) => ReactNode;
  readonly toolbar?: ReactNode;
}

export function DataGrid({ columns, rows, height = 420, exportName = 'results', renderCell, toolbar }: DataGridProps) {
  const [sort, setSort] = useState<{ col: string; dir: 1 | -1 } | null>(null);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [chooser, setChooser] = useState(false);
  const [scrollTop, setScrollTop] = useState(0);
  const [selected, setSelected] = useState<number | null>(null);
  const [note, setNote] = useState('');
  const body = useRef<HTMLDivElement>(null);

  useEffect(() => {
    setSort(null);
    setSelected(null);
    setScrollTop(0);
    if (body.current) body.current.scrollTop = 0;
  }, [rows]);

  const order = useMemo(() => {
    const idx = Array.from(rows.keys());
    if (!sort) return idx;
    const vals = rows.map((r) => r[sort.col]);
    idx.sort((i, j) => sort.dir * compare(vals[i], vals[j]) || i - j);
    return idx;
  }, [rows, sort]);

  // Fixed pixel widths from the header and a sample of values, so the header and every (absolutely
  // positioned) row line up; the last column takes what is left of the width.
  const widths = useMemo(() => {
    const w: Record<string, number> = {};
    const sample = rows.slice(0, 200);
    for (const c of columns) {
      let chars = c.name.length + 2;
      for (const r of sample) chars = Math.max(chars, Math.min(48, fmtValue(r[c.name]).length));
      w[c.name] = Math.max(80, Math.min(380, Math.round(chars * 7.4 + 24)));
    }
    return w;
  }, [columns, rows]);
  const visible = columns.filter((c) => !hidden.has(c.name));
  const template = visible.map((c, i) => (i === visible.length - 1 ? `minmax(${widths[c.name]}px, 1fr)` : `${widths[c.name]}px`)).join(' ');
  const totalWidth = visible.reduce((a, c) => a + (widths[c.name] ?? 120), 0);
  const first = Math.max(0, Math.floor(scrollTop / ROW_H) - OVERSCAN);
  const last = Math.min(order.length, Math.ceil((scrollTop + height) / ROW_H) + OVERSCAN);

  const flash = (s: string) => {
    setNote(s);
    setTimeout(() => setNote(''), 2500);
  };
  const names = visible.map((c) => c.name);
  const tsv = (idx: readonly number[]) =>
    [names.join('\t'), ...idx.map((i) => names.map((n) => fmtValue(rows[i]![n]).replace(/[\t\n]/g, ' ')).join('\t'))].join('\n');
  const copy = async (all: boolean) => {
    const idx = all || selected === null ? order : [order[selected]!];
    await copyText(tsv(idx));
    flash(`Copied ${idx.length.toLocaleString('en-US')} row${idx.length === 1 ? '' : 's'}`);
  };
  const exportCsv = () => download(`${exportName}.csv`, toCsv(names, order.map((i) => rows[i]!)));

  const move = (to: number) => {
    const n = Math.max(0, Math.min(order.length - 1, to));
    setSelected(n);
    const el = body.current;
    if (!el) return;
    if (n * ROW_H < el.scrollTop) el.scrollTop = n * ROW_H;
    else if ((n + 1) * ROW_H > el.scrollTop + el.clientHeight - ROW_H) el.scrollTop = (n + 2) * ROW_H - el.clientHeight;
  };
  const onKey = (e: KeyboardEvent) => {
    const page = Math.floor(height / ROW_H);
    const cur = selected ?? -1;
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(cur + 1),
      ArrowUp: () => move(cur - 1),
      PageDown: () => move(cur + page),
      PageUp: () => move(cur - page),
      Home: () => move(0),
      End: () => move(order.length - 1),
    };
    if (keys[e.key]) {
      e.preventDefault();
      keys[e.key]!();
    } else if ((e.ctrlKey || e.metaKey) && e.key === 'c') {
      e.preventDefault();
      void copy(false);
    }
  };

  const sortBy = (col: string) => setSort((s) => (s?.col === col ? (s.dir === 1 ? { col, dir: -1 } : null) : { col, dir: 1 }));

  return (
    <div className="grid-wrap" data-testid="results-grid">
      <div className="grid-toolbar">
        <span className="muted" data-testid="row-count">{rows.length.toLocaleString('en-US')} rows</span>
        {toolbar}
        <span className="spacer" />
        {note ? <span className="note" role="status">{note}</span> : null}
        <button type="button" onClick={() => void copy(false)} disabled={!rows.length}>Copy{selected !== null ? ' row' : ' all'}</button>
        <button type="button" onClick={exportCsv} disabled={!rows.length}>Export CSV</button>
        <div className="menu-anchor">
          <button type="button" aria-expanded={chooser} onClick={() => setChooser((c) => !c)}>Columns ({visible.length}/{columns.length})</button>
          {chooser ? (
            <div className="menu" role="menu" onKeyDown={(e) => e.key === 'Escape' && setChooser(false)}>
              {columns.map((c) => (
                <label key={c.name} className="menu-item">
                  <input
                    type="checkbox"
                    checked={!hidden.has(c.name)}
                    onChange={() => setHidden((h) => {
                      const n = new Set(h);
                      if (n.has(c.name)) n.delete(c.name);
                      else n.add(c.name);
                      return n;
                    })}
                  />{' '}
                  {c.name}
                </label>
              ))}
              <button type="button" onClick={() => setHidden(new Set())}>Show all</button>
            </div>
          ) : null}
        </div>
      </div>
      <div className="grid" role="grid" aria-rowcount={rows.length} tabIndex={0} onKeyDown={onKey}>
        <div className="grid-scroll" ref={body} style={{ height }} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} data-testid="grid-scroll">
          <div className="grid-head" role="row" style={{ gridTemplateColumns: template, minWidth: totalWidth }}>
            {visible.map((c) => (
              <button
                type="button"
                role="columnheader"
                key={c.name}
                className="grid-th"
                aria-sort={sort?.col === c.name ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}
                onClick={() => sortBy(c.name)}
                title={`${c.name}${c.type ? ` (${c.type})` : ''} — click to sort`}
              >
                {c.name}
                {sort?.col === c.name ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
              </button>
            ))}
          </div>
          <div style={{ height: order.length * ROW_H, position: 'relative', minWidth: totalWidth }}>
            {order.slice(first, last).map((ri, k) => {
              const pos = first + k;
              const row = rows[ri]!;
              return (
                <div
                  key={ri}
                  role="row"
                  aria-rowindex={pos + 1}
                  aria-selected={selected === pos}
                  className={`grid-row${selected === pos ? ' selected' : ''}${pos % 2 ? ' odd' : ''}`}
                  style={{ top: pos * ROW_H, gridTemplateColumns: template, width: '100%', minWidth: totalWidth }}
                  onClick={() => setSelected(pos)}
                >
                  {visible.map((c) => (
                    <div role="gridcell" key={c.name} className="grid-td" title={fmtValue(row[c.name])}>
                      {renderCell ? renderCell(c.name, row[c.name], row) : fmtValue(row[c.name])}
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
