/**
 * Small SVG charts, no library: bars a manager reads at a glance, each with its numbers in a
 * table beside it for screen readers and for anyone who wants the exact figure.
 */
import type { ComponentChildren } from "preact";

export interface Series {
  key: string;
  label: string;
  color: string;
}

export interface StackedRow {
  label: string;
  values: Record<string, number>;
}

/** A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten, at least `max`. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * power).find((n) => n >= max) ?? max;
}

export function Figure({ id, title, summary, children }: { id: string; title: string; summary: string; children: ComponentChildren }) {
  return (
    <figure class="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <p class="muted chart-summary">{summary}</p>
      {children}
    </figure>
  );
}

/** Vertical bars, stacked by series (calls per day by outcome, calls per hour). */
export function StackedBars({ rows, series, label }: { rows: StackedRow[]; series: Series[]; label: string }) {
  const width = 640;
  const height = 200;
  const pad = { left: 32, bottom: 22, top: 8 };
  const totals = rows.map((r) => series.reduce((sum, s) => sum + (r.values[s.key] ?? 0), 0));
  const top = niceMax(Math.max(0, ...totals));
  const slot = (width - pad.left) / Math.max(rows.length, 1);
  const scale = (v: number) => ((height - pad.bottom - pad.top) * v) / top;
  const every = Math.ceil(rows.length / 12);
  return (
    <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} class="bars">
      {[0, top / 2, top].filter(Number.isInteger).map((tick) => (
        <g key={tick}>
          <line x1={pad.left} x2={width} y1={height - pad.bottom - scale(tick)} y2={height - pad.bottom - scale(tick)} class="grid" />
          <text x={pad.left - 4} y={height - pad.bottom - scale(tick) + 4} text-anchor="end" class="tick">
            {tick}
          </text>
        </g>
      ))}
      {rows.map((row, n) => {
        let base = height - pad.bottom;
        return (
          <g key={row.label}>
            {series.map((s) => {
              const value = row.values[s.key] ?? 0;
              if (!value) return null;
              const h = scale(value);
              base -= h;
              return <rect key={s.key} x={pad.left + n * slot + slot * 0.15} y={base} width={slot * 0.7} height={h} fill={s.color} />;
            })}
            {n % every === 0 && (
              <text x={pad.left + n * slot + slot / 2} y={height - 6} text-anchor="middle" class="tick">
                {row.label}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

export function Legend({ series }: { series: Series[] }) {
  return (
    <ul class="legend">
      {series.map((s) => (
        <li key={s.key}>
          <span class="swatch" style={{ background: s.color }} aria-hidden="true" />
          {s.label}
        </li>
      ))}
    </ul>
  );
}

/** Horizontal bars with their numbers (languages). */
export function Ranking({ items, label }: { items: { label: string; value: number }[]; label: string }) {
  const top = Math.max(1, ...items.map((i) => i.value));
  return (
    <ul class="ranking" aria-label={label}>
      {items.map((item) => (
        <li key={item.label}>
          <span class="ranking-label">{item.label}</span>
          <span class="ranking-bar" style={{ width: `${(70 * item.value) / top}%` }} aria-hidden="true" />
          <span class="ranking-value">{item.value}</span>
        </li>
      ))}
    </ul>
  );
}
