import { formatResult, type StateBenchResult } from './bench-util';
import { benchEngines } from './engines';
import { benchRestore } from './restore';
import { benchStoreThroughput } from './store-throughput';

export type { StateBenchResult } from './bench-util';
export { formatResult } from './bench-util';
export { benchEngines } from './engines';
export { benchRestore } from './restore';
export { benchStoreThroughput } from './store-throughput';

/**
 * Runs every state benchmark case, printing one line per case (with its reference measured in the
 * same run) through `print`, and returns the results. The streams bench (`bench/index.ts`) calls this.
 */
export async function runStateBenchmarks(print: (line: string) => void = console.log): Promise<StateBenchResult[]> {
  const all: StateBenchResult[] = [];
  for (const run of [() => benchEngines(), () => benchStoreThroughput(), () => benchRestore()]) {
    for (const r of await run()) {
      all.push(r);
      print(formatResult(r));
    }
  }
  return all;
}

if (require.main === module) {
  runStateBenchmarks().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
