import type { ScenarioResult } from './scenario';

const COLUMNS: ReadonlyArray<{ title: string; value: (r: ScenarioResult) => string; right?: boolean }> = [
  { title: 'scenario', value: (r) => r.name },
  { title: 'result', value: (r) => r.outcome },
  { title: 'in', value: (r) => fmt(r.recordsIn), right: true },
  { title: 'out', value: (r) => fmt(r.recordsOut), right: true },
  { title: 'lost', value: (r) => fmt(r.lost), right: true },
  { title: 'dup', value: (r) => fmt(r.duplicates), right: true },
  { title: 'dlq', value: (r) => fmt(r.dlq), right: true },
  { title: 'peak RSS MiB', value: (r) => fmt(r.peakRssMb), right: true },
  { title: 'time s', value: (r) => r.seconds.toFixed(1), right: true },
  { title: 'notes', value: (r) => r.note },
];

function fmt(n: number | undefined): string {
  return n === undefined ? '-' : n.toLocaleString('en-US');
}

/** The chaos table: one row per scenario, columns padded, figures right-aligned; `-` where a figure does not apply. */
export function renderTable(results: readonly ScenarioResult[]): string {
  const cells = results.map((r) => COLUMNS.map((c) => c.value(r)));
  const widths = COLUMNS.map((c, i) => Math.max(c.title.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => (COLUMNS[i]!.right ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join(' | ')
      .trimEnd();
  return [
    line(COLUMNS.map((c) => c.title)),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...cells.map(line),
  ].join('\n');
}
