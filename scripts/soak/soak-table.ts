import type { SoakRow } from './soak-verdict';

/** Column headers of {@link renderSoakTable}, in order. */
export const SOAK_COLUMNS = [
  'process',
  'pid',
  'RSS warm-up MiB',
  'RSS end MiB',
  'RSS growth',
  'anon warm-up MiB',
  'anon end MiB',
  'file warm-up MiB',
  'file end MiB',
  'heap warm-up MiB',
  'heap end MiB',
  'heap growth',
  'external warm-up MiB',
  'external end MiB',
  'data held warm-up MiB',
  'data held end MiB',
  'RSS beyond data',
  'heap beyond data',
  'max lag',
  'end lag',
  'verdict',
] as const;

const mib = (b: number | undefined) => (b === undefined ? '-' : (b / 1024 / 1024).toFixed(1));
const pct = (p: number | undefined) => (p === undefined ? '-' : `${p >= 0 ? '+' : ''}${p.toFixed(1)}%`);
const num = (n: number | undefined) => (n === undefined ? '-' : String(Math.round(n)));

/**
 * The cells of one row as printed (MiB with one decimal, growth as a signed percentage; `-` where a
 * figure does not apply: data held and growth beyond it are for the embedded stand-ins only).
 */
export function rowCells(r: SoakRow): string[] {
  return [
    r.name,
    String(r.pid),
    mib(r.rssStart),
    mib(r.rssEnd),
    pct(r.rssGrowthPct),
    mib(r.rssAnonStart),
    mib(r.rssAnonEnd),
    mib(r.rssFileStart),
    mib(r.rssFileEnd),
    mib(r.heapStart),
    mib(r.heapEnd),
    pct(r.heapGrowthPct),
    mib(r.externalStart),
    mib(r.externalEnd),
    mib(r.dataStart),
    mib(r.dataEnd),
    pct(r.rssBeyondDataPct),
    pct(r.heapBeyondDataPct),
    num(r.maxLag),
    num(r.endLag),
    r.pass ? 'PASS' : `FAIL (${r.reasons.join('; ')})`,
  ];
}

/** A `|`-separated table with a header and one row per process, columns padded to their width. */
export function renderSoakTable(rows: readonly SoakRow[]): string {
  const cells = [[...SOAK_COLUMNS], ...rows.map(rowCells)];
  const widths = SOAK_COLUMNS.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join('\n');
}
