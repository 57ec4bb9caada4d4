import * as path from 'node:path';
import { spawnBrokerProcess } from '@gmart/embedded-kafka/process';

/**
 * The benches' broker: the embedded broker in a process of its own, as a real broker runs (the load
 * generator and the measuring consumer in the bench's process then do not share an event loop with
 * it), on a free port, its data under `<dataDir>/kafka`, quiet, and with no initial rebalance delay
 * (so a case's consumer group forms at once). `extraArgs` go to the broker's command line,
 * `nodeArgs` to node's.
 */
export function spawnBenchBroker(
  dataDir: string,
  options: { extraArgs?: readonly string[]; nodeArgs?: readonly string[] } = {},
): ReturnType<typeof spawnBrokerProcess> {
  return spawnBrokerProcess(
    [
      '--port',
      '0',
      '--data-dir',
      path.join(dataDir, 'kafka'),
      '--quiet',
      '--group-initial-rebalance-delay-ms',
      '0',
      ...(options.extraArgs ?? []),
    ],
    { nodeArgs: [...(options.nodeArgs ?? [])] },
  );
}
