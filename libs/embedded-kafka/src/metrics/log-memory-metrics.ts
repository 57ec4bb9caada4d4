import { Counter, Gauge, type Registry } from 'prom-client';
import type { ReadCacheBudget } from '../log/read-cache-budget';

/**
 * The broker's memory for data, read at scrape time: the broker-wide read cache
 * (`kafka_server_read_cache_bytes` held now, `kafka_server_read_cache_budget_bytes` the bound,
 * `kafka_server_read_cache_evicted_bytes_total` taken back to stay in it) and the batch indexes
 * (`kafka_server_batch_index_bytes`, which grow with the data retained).
 */
export function registerLogMemoryMetrics(
  registry: Registry,
  budget: ReadCacheBudget,
  batchIndexBytes: () => number,
): void {
  new Gauge({
    name: 'kafka_server_batch_index_bytes',
    help: 'Bytes held by the in-memory batch indexes of every retained segment (44 per batch, capacity counted)',
    registers: [registry],
    collect() {
      this.set(batchIndexBytes());
    },
  });
  new Gauge({
    name: 'kafka_server_read_cache_bytes',
    help: 'Bytes held by the read caches of all partitions (allocated blocks); at most the budget',
    registers: [registry],
    collect() {
      this.set(budget.heldBytes);
    },
  });
  new Gauge({
    name: 'kafka_server_read_cache_budget_bytes',
    help: 'The most the read caches of all partitions may hold together (readCacheBudgetBytes)',
    registers: [registry],
    collect() {
      this.set(budget.budgetBytes);
    },
  });
  let reported = 0;
  new Counter({
    name: 'kafka_server_read_cache_evicted_bytes_total',
    help: 'Bytes dropped from partition read caches to stay within the broker-wide budget',
    registers: [registry],
    collect() {
      const now = budget.evictedBytes;
      if (now > reported) this.inc(now - reported);
      reported = now;
    },
  });
}
