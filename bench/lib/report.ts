/**
 * The shape of a figure's result (what results.json stores) and the readable table printed at the end:
 * one row per measured value, with its baseline, ratio, target and outcome.
 */

/** `pass`/`fail`: a target was checked; `info`: shown for context, no target; `not built`: flow missing. */
export type RowStatus = 'pass' | 'fail' | 'info' | 'not built' | 'error';

export type Row = {
  /** What is shown in the first column, e.g. "intake req/s". */
  label: string;
  value: number | null;
  unit: string;
  baseline: number | null;
  /** What the baseline is, e.g. "no-op /healthz". */
  baselineLabel?: string;
  /** The ratio the target is about (value / baseline, or the inverse where stated in `target`). */
  ratio: number | null;
  /** Human-readable target, e.g. "ratio ≥ 0.60". */
  target: string;
  status: RowStatus;
  note?: string;
};

export type FigureResult = {
  id: string;
  title: string;
  /** fail when any row failed or the figure could not be measured; not built when its flow is missing. */
  status: 'pass' | 'fail' | 'not built' | 'error';
  /** How it was measured (runtime, load, durations, batch sizes), as stored in results.json. */
  method: Record<string, unknown>;
  /** Every number measured, including those not shown in the table. */
  metrics: Record<string, unknown>;
  rows: Row[];
  notes: string[];
  error?: string;
};

export function figureStatus(rows: Row[]): FigureResult['status'] {
  if (rows.some((r) => r.status === 'error')) return 'error';
  if (rows.some((r) => r.status === 'fail')) return 'fail';
  if (rows.length > 0 && rows.every((r) => r.status === 'not built')) return 'not built';
  return 'pass';
}

/** A check of `value` against a bound: `min` (value ≥ bound) or `max` (value ≤ bound). */
export function check(value: number, bound: number, kind: 'min' | 'max'): RowStatus {
  if (!Number.isFinite(value)) return 'fail';
  return (kind === 'min' ? value >= bound : value <= bound) ? 'pass' : 'fail';
}

function formatNumber(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (unit === 'ms') return `${value.toFixed(value < 10 ? 2 : 1)} ms`;
  const digits = Math.abs(value) >= 100 || Number.isInteger(value) ? 0 : 1;
  const text = value.toLocaleString('en-US', { maximumFractionDigits: digits });
  return unit ? `${text} ${unit}` : text;
}

const statusText: Record<RowStatus, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  info: 'info',
  'not built': 'not built',
  error: 'ERROR',
};

/** The results table as text. */
export function renderTable(figures: FigureResult[]): string {
  const header = ['figure', 'value', 'baseline', 'ratio', 'target', 'result'];
  const lines: string[][] = [];
  for (const figure of figures) {
    for (const row of figure.rows) {
      const baseline =
        row.baseline === null
          ? (row.baselineLabel ?? '—')
          : `${formatNumber(row.baseline, row.unit)}${row.baselineLabel ? ` (${row.baselineLabel})` : ''}`;
      lines.push([
        row.label,
        formatNumber(row.value, row.unit),
        baseline,
        row.ratio === null ? '—' : `${row.ratio.toFixed(2)}×`,
        row.target,
        statusText[row.status] + (row.note ? ` (${row.note})` : ''),
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const pad = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [pad(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(pad)].join('\n');
}
