/**
 * Small SVG charts for KQL `render`: timechart (lines over time), columnchart / barchart (vertical /
 * horizontal bars) and piechart. X is the first datetime (timechart) or string column, Y the numeric
 * columns; a remaining string column splits a timechart into series — as Defender draws them.
 */
import { useMemo } from 'react';
import type { GridColumn } from './data-grid';

const PALETTE = ['#2f7ed8', '#e8743b', '#19a979', '#ed4a7b', '#945ecf', '#13a4b4', '#d4a017', '#6f7d8c'];
const NUMERIC = new Set(['long', 'int', 'real', 'decimal', 'double']);

export interface ChartProps {
  readonly kind: string;
  readonly columns: readonly GridColumn[];
  readonly rows: readonly Record<string, unknown>[];
  readonly title?: string;
}

const num = (v: unknown) => (typeof v === 'number' ? v : Number(v));

interface Series {
  name: string;
  points: { x: number | string; y: number }[];
}

function buildSeries(kind: string, columns: readonly GridColumn[], rows: readonly Record<string, unknown>[]) {
  const numeric = columns.filter((c) => NUMERIC.has(c.type ?? ''));
  const xCol = kind === 'timechart'
    ? columns.find((c) => c.type === 'datetime') ?? columns[0]
    : columns.find((c) => !NUMERIC.has(c.type ?? '')) ?? columns[0];
  const ys = numeric.filter((c) => c.name !== xCol?.name);
  const splitCol = kind === 'timechart' ? columns.find((c) => c.name !== xCol?.name && !NUMERIC.has(c.type ?? '') && c.type !== 'datetime') : undefined;
  const series = new Map<string, Series>();
  for (const r of rows) {
    const xRaw = r[xCol?.name ?? ''];
    const x = kind === 'timechart' ? new Date(String(xRaw)).getTime() : String(xRaw ?? '');
    for (const y of ys) {
      const name = splitCol ? `${String(r[splitCol.name] ?? '')}${ys.length > 1 ? ` · ${y.name}` : ''}` : y.name;
      let s = series.get(name);
      if (!s) series.set(name, (s = { name, points: [] }));
      const v = num(r[y.name]);
      if (!Number.isNaN(v)) s.points.push({ x, y: v });
    }
  }
  const out = [...series.values()];
  if (kind === 'timechart') for (const s of out) s.points.sort((a, b) => (a.x as number) - (b.x as number));
  return { xCol, ys, series: out.slice(0, 12) };
}

function ticks(min: number, max: number, n = 5): number[] {
  if (max === min) return [min];
  const step = (max - min) / n;
  return Array.from({ length: n + 1 }, (_, i) => min + i * step);
}

const short = (v: number) => (Math.abs(v) >= 1e6 ? `${(v / 1e6).toFixed(1)}M` : Math.abs(v) >= 1e3 ? `${(v / 1e3).toFixed(1)}k` : Number.isInteger(v) ? String(v) : v.toFixed(2));

export function Chart({ kind, columns, rows, title }: ChartProps) {
  const { series, ys } = useMemo(() => buildSeries(kind, columns, rows), [kind, columns, rows]);
  if (!ys.length || !series.length) return <div className="state empty">Nothing to chart: the results need a numeric column.</div>;
  const W = 900;
  const H = 320;
  const pad = { l: 56, r: 16, t: 16, b: 48 };
  const iw = W - pad.l - pad.r;
  const ih = H - pad.t - pad.b;
  const legend = (
    <div className="legend">
      {series.map((s, i) => (
        <span key={s.name}><i style={{ background: PALETTE[i % PALETTE.length] }} />{s.name}</span>
      ))}
    </div>
  );

  if (kind === 'piechart') {
    const pts = series[0]!.points.filter((p) => p.y > 0).slice(0, 12);
    const total = pts.reduce((a, p) => a + p.y, 0) || 1;
    let angle = -Math.PI / 2;
    const cx = 160;
    const cy = 160;
    const R = 140;
    return (
      <figure className="chart" data-testid="chart" data-kind={kind}>
        {title ? <figcaption>{title}</figcaption> : null}
        <svg viewBox="0 0 640 320" role="img" aria-label={`pie chart of ${series[0]!.name}`}>
          {pts.map((p, i) => {
            const a0 = angle;
            const a1 = (angle += (p.y / total) * Math.PI * 2);
            const large = a1 - a0 > Math.PI ? 1 : 0;
            const d = pts.length === 1
              ? `M ${cx - R} ${cy} A ${R} ${R} 0 1 1 ${cx + R} ${cy} A ${R} ${R} 0 1 1 ${cx - R} ${cy} Z`
              : `M ${cx} ${cy} L ${cx + R * Math.cos(a0)} ${cy + R * Math.sin(a0)} A ${R} ${R} 0 ${large} 1 ${cx + R * Math.cos(a1)} ${cy + R * Math.sin(a1)} Z`;
            return <path key={i} d={d} fill={PALETTE[i % PALETTE.length]}><title>{`${p.x}: ${p.y}`}</title></path>;
          })}
          {pts.map((p, i) => (
            <g key={`l${i}`} transform={`translate(340 ${30 + i * 22})`}>
              <rect width="12" height="12" fill={PALETTE[i % PALETTE.length]} />
              <text x="18" y="11" className="axis">{`${String(p.x).slice(0, 32)} — ${short(p.y)} (${Math.round((p.y / total) * 100)}%)`}</text>
            </g>
          ))}
        </svg>
      </figure>
    );
  }

  const allY = series.flatMap((s) => s.points.map((p) => p.y));
  const yMax = Math.max(0, ...allY);
  const yMin = Math.min(0, ...allY);
  const yScale = (v: number) => pad.t + ih - ((v - yMin) / (yMax - yMin || 1)) * ih;

  if (kind === 'timechart' || kind === 'linechart' || kind === 'areachart') {
    const xs = series.flatMap((s) => s.points.map((p) => p.x as number)).filter((x) => !Number.isNaN(x));
    const xMin = Math.min(...xs);
    const xMax = Math.max(...xs);
    const xScale = (v: number) => pad.l + ((v - xMin) / (xMax - xMin || 1)) * iw;
    return (
      <figure className="chart" data-testid="chart" data-kind={kind}>
        {title ? <figcaption>{title}</figcaption> : null}
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="time chart">
          {ticks(yMin, yMax).map((t) => (
            <g key={t}>
              <line x1={pad.l} x2={W - pad.r} y1={yScale(t)} y2={yScale(t)} className="gridline" />
              <text x={pad.l - 6} y={yScale(t) + 4} textAnchor="end" className="axis">{short(t)}</text>
            </g>
          ))}
          {ticks(xMin, xMax, 6).map((t) => (
            <text key={t} x={xScale(t)} y={H - pad.b + 18} textAnchor="middle" className="axis">
              {new Date(t).toISOString().slice(5, 16).replace('T', ' ')}
            </text>
          ))}
          {series.map((s, i) => (
            <polyline key={s.name} fill="none" stroke={PALETTE[i % PALETTE.length]} strokeWidth="2" points={s.points.map((p) => `${xScale(p.x as number)},${yScale(p.y)}`).join(' ')}>
              <title>{s.name}</title>
            </polyline>
          ))}
        </svg>
        {legend}
      </figure>
    );
  }

  // columnchart (vertical) / barchart (horizontal): categories from the first series' x values.
  const cats = [...new Set(series.flatMap((s) => s.points.map((p) => String(p.x))))].slice(0, 50);
  const val = (s: Series, c: string) => s.points.find((p) => String(p.x) === c)?.y ?? 0;
  if (kind === 'barchart') {
    const rowH = Math.max(14, Math.min(30, (H - 20) / cats.length));
    const h = cats.length * rowH + 40;
    const left = 160;
    const xScale = (v: number) => left + ((v - Math.min(0, yMin)) / (yMax - Math.min(0, yMin) || 1)) * (W - left - 40);
    const bh = (rowH - 4) / series.length;
    return (
      <figure className="chart" data-testid="chart" data-kind={kind}>
        {title ? <figcaption>{title}</figcaption> : null}
        <svg viewBox={`0 0 ${W} ${h}`} role="img" aria-label="bar chart">
          {cats.map((c, ci) => (
            <g key={c}>
              <text x={left - 6} y={10 + ci * rowH + rowH / 2 + 4} textAnchor="end" className="axis">{c.slice(0, 24)}</text>
              {series.map((s, si) => (
                <rect key={s.name} x={left} y={10 + ci * rowH + 2 + si * bh} width={Math.max(0, xScale(val(s, c)) - left)} height={bh} fill={PALETTE[si % PALETTE.length]}>
                  <title>{`${c} · ${s.name}: ${val(s, c)}`}</title>
                </rect>
              ))}
            </g>
          ))}
        </svg>
        {legend}
      </figure>
    );
  }
  const slot = iw / cats.length;
  const bw = Math.max(2, (slot - 6) / series.length);
  return (
    <figure className="chart" data-testid="chart" data-kind={kind}>
      {title ? <figcaption>{title}</figcaption> : null}
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="column chart">
        {ticks(yMin, yMax).map((t) => (
          <g key={t}>
            <line x1={pad.l} x2={W - pad.r} y1={yScale(t)} y2={yScale(t)} className="gridline" />
            <text x={pad.l - 6} y={yScale(t) + 4} textAnchor="end" className="axis">{short(t)}</text>
          </g>
        ))}
        {cats.map((c, ci) => (
          <g key={c}>
            {series.map((s, si) => {
              const v = val(s, c);
              return (
                <rect key={s.name} x={pad.l + ci * slot + 3 + si * bw} y={Math.min(yScale(v), yScale(0))} width={bw} height={Math.abs(yScale(0) - yScale(v))} fill={PALETTE[si % PALETTE.length]}>
                  <title>{`${c} · ${s.name}: ${v}`}</title>
                </rect>
              );
            })}
            {cats.length <= 20 ? <text x={pad.l + ci * slot + slot / 2} y={H - pad.b + 16} textAnchor="middle" className="axis">{c.slice(0, 14)}</text> : null}
          </g>
        ))}
      </svg>
      {legend}
    </figure>
  );
}
