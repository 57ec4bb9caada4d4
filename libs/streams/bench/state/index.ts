import { formatResult, type StateBenchResult } from './bench-util';
import { benchBrokerRestore } from './broker-restore';
import { benchEngines } from './engines';
import { benchStatefulTopology } from './stateful-topology';
import { benchRestore } from './restore';
import { benchStoreThroughput } from './store-throughput';

export type { StateBenchResult } from './bench-util';
export { formatResult } from './bench-util';
export { benchBrokerRestore } from './broker-restore';
export { benchEngines } from './engines';
export { benchStatefulTopology } from './stateful-topology';
export { benchRestore } from './restore';
export { benchStoreThroughput } from './store-throughput';

/**
 * Runs every state benchmark case, printing one line per case (with its reference measured in the
 * same run) through `print`, and returns the results. The streams bench (`bench/index.ts`) calls this.
 */
export async function runStateBenchmarks(
  print: (line: string) => void = console.log,
): Promise<StateBenchResult[]> {
  const all: StateBenchResult[] = [];
  for (const run of [
    () => benchEngines(),
    () => benchStoreThroughput(),
    () => benchRestore(),
    () => benchBrokerRestore(),
    () => benchStatefulTopology(),
  ]) {
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
