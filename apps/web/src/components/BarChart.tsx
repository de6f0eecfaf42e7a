import { useEffect, useId, useRef, useState } from 'react';
import { useT } from '../i18n';

export interface Bar {
  key: string;
  label: string;
  value: number;
}

interface Props {
  title: string;
  bars: Bar[];
  /** Months side by side (columns), or fields one under the other (rows, largest first). */
  orientation: 'columns' | 'rows';
  /** The value in full, for the table and each bar's title. */
  format: (value: number) => string;
  /** The value as short as it reads, for the axis and the bar's own label. */
  short: (value: number) => string;
  /** The table's column headings. */
  headings: [string, string];
}

const FONT = 12;
const COLOR = '#0b5cad';
const INK = '#434343';
const GRID = '#e8e8e8';

/** About how wide a text is drawn: CJK characters a full em, the rest a little over half. */
function textWidth(text: string, size = FONT): number {
  let width = 0;
  for (const char of text) width += char.codePointAt(0)! >= 0x2e80 ? size : size * 0.6;
  return width;
}

/** 0 and three or four round steps up to at least `max`. */
function ticks(max: number): number[] {
  if (max <= 0) return [0];
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough)!;
  const out = [0];
  while (out[out.length - 1] < max) out.push(out.length * step);
  return out;
}

/** Cuts a label to `width`, with an ellipsis; the whole label stays in the title and the table. */
function fit(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  let cut = text;
  while (cut.length > 1 && textWidth(`${cut}…`) > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/**
 * A bar chart drawn as plain SVG by React: axis labels, each bar's value written beside it when it
 * fits and in its title always, sized to its box (no scaled-down text on a phone). The same figures
 * are a table, read by screen readers, which the button shows to everyone.
 */
export function BarChart({ title, bars, orientation, format, short, headings }: Props) {
  const { t } = useT();
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(480);
  const [table, setTable] = useState(false);
  const id = useId();
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = () => setWidth(Math.max(240, Math.floor(element.clientWidth)));
    measure();
    if (!('ResizeObserver' in window)) return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const max = Math.max(0, ...bars.map((b) => b.value));
  const steps = ticks(max);
  const top = steps[steps.length - 1] || 1;
  const said = (bar: Bar) => `${bar.label}${t('colon')}${format(bar.value)}`;
  return (
    <figure className="bar-chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="chart-title">
        {title}
      </figcaption>
      <div ref={box} className={`chart chart-${orientation}`}>
        {orientation === 'columns' ? (
          <Columns bars={bars} width={width} steps={steps} top={top} short={short} said={said} />
        ) : (
          <Rows bars={bars} width={width} steps={steps} top={top} short={short} said={said} />
        )}
      </div>
      <button
        type="button"
        className="chart-toggle"
        aria-expanded={table}
        aria-controls={`${id}-table`}
        onClick={() => setTable((shown) => !shown)}
      >
        {table ? t('chart.hideTable') : t('chart.showTable')}
      </button>
      <table id={`${id}-table`} className={table ? 'chart-table' : 'sr-only'}>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{headings[0]}</th>
            <th scope="col">{headings[1]}</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((bar) => (
            <tr key={bar.key}>
              <th scope="row">{bar.label}</th>
              <td>{format(bar.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

interface DrawProps {
  bars: Bar[];
  width: number;
  steps: number[];
  top: number;
  short: (value: number) => string;
  /** A bar's label and value, as its title says them. */
  said: (bar: Bar) => string;
}

const COLUMNS_HEIGHT = 260;

/** Bars standing on a labelled axis (months). */
function Columns({ bars, width, steps, top, short, said }: DrawProps) {
  const left = Math.ceil(Math.max(...steps.map((v) => textWidth(short(v))))) + 10;
  const right = 8;
  const upper = 20;
  const lower = 24;
  const plot = { x: left, y: upper, w: width - left - right, h: COLUMNS_HEIGHT - upper - lower };
  const slot = plot.w / Math.max(1, bars.length);
  const barWidth = Math.min(36, slot * 0.7);
  const y = (v: number) => plot.y + plot.h - (v / top) * plot.h;
  // Every label when they fit, else every other one.
  const widest = Math.max(0, ...bars.map((b) => textWidth(b.label)));
  const every = widest + 4 > slot ? 2 : 1;
  const valuesFit = Math.max(0, ...bars.map((b) => textWidth(short(b.value), 11))) + 2 <= slot;
  return (
    <svg width={width} height={COLUMNS_HEIGHT} aria-hidden="true" focusable="false">
      {steps.map((v) => (
        <g key={v}>
          <line x1={plot.x} x2={plot.x + plot.w} y1={y(v)} y2={y(v)} stroke={GRID} />
          <text x={plot.x - 6} y={y(v)} dy="0.35em" textAnchor="end" fontSize={FONT} fill={INK}>
            {short(v)}
          </text>
        </g>
      ))}
      {bars.map((bar, index) => {
        const cx = plot.x + slot * index + slot / 2;
        const height = plot.y + plot.h - y(bar.value);
        return (
          <g key={bar.key}>
            <title>{said(bar)}</title>
            <rect x={cx - barWidth / 2} y={y(bar.value)} width={barWidth} height={height} fill={COLOR} />
            {valuesFit && bar.value > 0 && (
              <text x={cx} y={y(bar.value) - 4} textAnchor="middle" fontSize={11} fill={INK}>
                {short(bar.value)}
              </text>
            )}
            {index % every === 0 && (
              <text x={cx} y={COLUMNS_HEIGHT - 6} textAnchor="middle" fontSize={FONT} fill={INK}>
                {bar.label}
              </text>
            )}
          </g>
        );
      })}
      <line x1={plot.x} x2={plot.x + plot.w} y1={plot.y + plot.h} y2={plot.y + plot.h} stroke={INK} />
    </svg>
  );
}

const ROW = 30;

/** Bars lying along a value axis, one labelled row each (technical fields). */
function Rows({ bars, width, steps, top, short, said }: DrawProps) {
  const label = Math.min(width * 0.4, Math.max(0, ...bars.map((b) => textWidth(b.label))) + 8);
  const valueRoom = Math.max(0, ...bars.map((b) => textWidth(short(b.value)))) + 8;
  const upper = 4;
  const lower = 22;
  const plot = { x: label, y: upper, w: Math.max(40, width - label - valueRoom), h: bars.length * ROW };
  const height = upper + plot.h + lower;
  const x = (v: number) => plot.x + (v / top) * plot.w;
  // Axis labels at the ends and in between when there is room.
  const tickRoom = Math.max(...steps.map((v) => textWidth(short(v)))) + 8;
  const tickEvery = Math.ceil((tickRoom * steps.length) / plot.w) || 1;
  return (
    <svg width={width} height={height} aria-hidden="true" focusable="false">
      {steps.map((v, index) => (
        <g key={v}>
          <line x1={x(v)} x2={x(v)} y1={plot.y} y2={plot.y + plot.h} stroke={GRID} />
          {index % tickEvery === 0 && (
            <text x={x(v)} y={height - 6} textAnchor="middle" fontSize={FONT} fill={INK}>
              {short(v)}
            </text>
          )}
        </g>
      ))}
      {bars.map((bar, index) => {
        const cy = plot.y + ROW * index + ROW / 2;
        return (
          <g key={bar.key}>
            <title>{said(bar)}</title>
            <text x={plot.x - 6} y={cy} dy="0.35em" textAnchor="end" fontSize={FONT} fill={INK}>
              {fit(bar.label, label - 8)}
            </text>
            <rect x={plot.x} y={cy - 9} width={Math.max(1, x(bar.value) - plot.x)} height={18} fill={COLOR} />
            <text x={x(bar.value) + 4} y={cy} dy="0.35em" fontSize={FONT} fill={INK}>
              {short(bar.value)}
            </text>
          </g>
        );
      })}
      <line x1={plot.x} x2={plot.x} y1={plot.y} y2={plot.y + plot.h} stroke={INK} />
    </svg>
  );
}
