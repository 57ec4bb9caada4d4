import { join } from 'node:path';
import type { ChangelogRecord } from '../../src/processor/state-store';
import { Stores } from '../../src/state';
import { ProcessorStateManager } from '../../src/processor/internals/processor-state-manager';
import { BenchContext, bytesSerde } from './bench-context';
import { benchDir, benchKey, benchValue, gc, mib, secondsSince, type StateBenchResult } from './bench-util';

const BATCH = 10_000;

function batchAt(first: number, n: number): ChangelogRecord[] {
  const records: ChangelogRecord[] = new Array(n);
  for (let i = 0; i < n; i++)
    records[i] = { key: benchKey(first + i), value: benchValue(first + i), timestamp: 0, offset: first + i };
  return records;
}

/**
 * Restores `total` changelog records (20-byte key, 100-byte value: ~120 bytes each) through the
 * ProcessorStateManager into a fresh store, in batches of 10,000 as a fetch would deliver them.
 * Reports seconds spent in restore calls and the heap growth (peak heapUsed over the baseline);
 * reference: filling a plain `Map<string, Buffer>` with the same records.
 */
export async function benchRestore(total = 1_000_000): Promise<StateBenchResult[]> {
  const results: StateBenchResult[] = [];
  const reference = mapReference(total);
  for (const kind of ['persistent', 'in-memory'] as const) {
    const tmp = benchDir('bench-restore-');
    try {
      const taskDir = join(tmp.dir, 'bench', '0_0');
      const manager = new ProcessorStateManager({
        taskId: { subtopology: 0, partition: 0, toString: () => '0_0' },
        applicationId: 'bench',
        taskDir,
      });
      await manager.initialize();
      const context = new BenchContext(taskDir, 10 * 1024 * 1024, manager);
      const supplier =
        kind === 'persistent'
          ? Stores.persistentKeyValueStore('restore')
          : Stores.inMemoryKeyValueStore('restore');
      const store = Stores.keyValueStoreBuilder(supplier, bytesSerde, bytesSerde).build();
      await store.init(context, store);
      gc();
      const baseline = process.memoryUsage().heapUsed;
      let peak = baseline;
      let restoring = 0;
      manager.beginRestore('bench-restore-changelog', 0, total);
      for (let first = 0; first < total; first += BATCH) {
        const batch = batchAt(first, Math.min(BATCH, total - first));
        const start = performance.now();
        await manager.restoreBatch('bench-restore-changelog', 0, batch);
        restoring += performance.now() - start;
        if ((first / BATCH) % 10 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
      }
      manager.completeRestore('bench-restore-changelog', 0);
      peak = Math.max(peak, process.memoryUsage().heapUsed);
      const start = performance.now();
      await manager.flush();
      restoring += performance.now() - start;
      const entries = store.approximateNumEntries();
      if (entries !== total)
        throw new Error(`restore bench: store holds ${entries} entries, expected ${total}`);
      const mem = process.memoryUsage();
      await manager.close(true);
      results.push({
        name: `restore ${total.toLocaleString('en-US')} keys into ${kind} store`,
        value: restoring / 1000,
        unit: 's',
        reference: { name: 'Map fill', value: reference.seconds, unit: 's' },
        notes: `${Math.round(total / (restoring / 1000)).toLocaleString('en-US')} records/s, heap +${mib(peak - baseline).toFixed(0)} MiB peak (Map: +${mib(reference.heap).toFixed(0)} MiB), external ${mib(mem.external).toFixed(0)} MiB; targets <= 5 s, <= 300 MB`,
      });
    } finally {
      tmp.cleanup();
    }
  }
  return results;
}

function mapReference(total: number): { seconds: number; heap: number } {
  gc();
  const baseline = process.memoryUsage().heapUsed;
  const map = new Map<string, Buffer>();
  let seconds = 0;
  for (let first = 0; first < total; first += BATCH) {
    const batch = batchAt(first, Math.min(BATCH, total - first));
    const start = performance.now();
    for (const r of batch) map.set(r.key.toString('latin1'), Buffer.from(r.value as Buffer));
    seconds += secondsSince(start);
  }
  const heap = process.memoryUsage().heapUsed - baseline;
  if (map.size !== total) throw new Error('map reference lost records');
  return { seconds, heap };
}
