/**
 * `npm run soak -- --minutes N`: the whole G-Mart pipeline at a steady rate for a warm-up and N
 * minutes, RSS, heap and consumer lag of every process sampled, one table of verdicts (see
 * SOAK_USAGE and README.md). Exits 0 when every process passes, 1 when one fails or the run cannot
 * start, 2 on a bad flag.
 */
import * as fs from 'node:fs';
import { parseSoakOptions, SOAK_USAGE, SoakUsageError, type SoakOptions } from './soak-options';

async function main(): Promise<number> {
  let options: SoakOptions | 'help';
  try {
    options = parseSoakOptions(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof SoakUsageError)) throw err;
    process.stderr.write(`npm run soak: ${err.message}\n\n${SOAK_USAGE}`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(SOAK_USAGE);
    return 0;
  }
  // Loaded once the flags are checked: `--help` and a bad flag answer without loading the stack.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runSoak } = require('./soak-run') as typeof import('./soak-run');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { renderSoakTable } = require('./soak-table') as typeof import('./soak-table');
  const result = await runSoak(options, (m) => process.stderr.write(`${m}\n`));
  const mib = (b: number) => (b / 2 ** 20).toFixed(1);
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  const passed = result.rows.every((r) => r.pass);
  process.stdout.write(
    `soak: ${options.minutes} min after a ${options.warmupMinutes} min warm-up at ${options.rate} purchases/s and ` +
      `${options.stockRate} stock transactions/s; medians of the first and last ${Math.round(
        Math.min(60_000, (result.endMs - result.warmupEndMs) / 5) / 1000,
      )} s; limits: growth ${options.maxGrowthPct}%, lag ${options.maxLag}; ` +
      `load average ${load(result.loadAverage.start)} at the start, ${load(result.loadAverage.end)} at the end\n` +
      `${renderSoakTable(result.rows)}\n` +
      (result.mongoData
        ? `soak: data held: broker = read cache + batch indexes (its metrics); mongo = documents x ` +
          `${Math.round(result.mongoData.bytesPerDocument)} heap bytes per document (${result.mongoData.documents} ` +
          `documents: heap ${mib(result.mongoData.heapWithData)} MiB with them, ${mib(result.mongoData.heapWithoutData)} MiB ` +
          `after dropping them, full GCs, services stopped)\n`
        : `soak: data held: broker = read cache + batch indexes (its metrics); mongo's documents could not be weighed\n`) +
      `soak: ${passed ? 'PASS' : 'FAIL'}\n`,
  );
  if (options.jsonFile)
    fs.writeFileSync(options.jsonFile, `${JSON.stringify({ options, ...result }, null, 2)}\n`);
  return passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`npm run soak: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
