import { Counter, Gauge, Histogram, register as defaultRegistry, type Registry } from 'prom-client';
import { registeredMetric } from '../../metrics/registered-metric';

/** Store operations with a latency histogram `kafka_stream_state_<op>_latency_seconds`. */
export const STATE_STORE_OPERATIONS = [
  'put',
  'put_if_absent',
  'put_all',
  'get',
  'delete',
  'range',
  'prefix_scan',
  'all',
  'flush',
  'fetch',
  'remove',
  'restore',
] as const;

/** One measured store operation. */
export type StateStoreOperation = (typeof STATE_STORE_OPERATIONS)[number];

const LABELS = ['store_type', 'store_name'] as const;
const BUCKETS = [1e-6, 5e-6, 1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 1e-2, 5e-2, 0.1, 0.5, 1, 5];

/** The prom-client metrics of the state stores of one registry. */
export class StateStoreMetrics {
  private static readonly perRegistry = new WeakMap<Registry, StateStoreMetrics>();
  readonly latency: Record<StateStoreOperation, Histogram<(typeof LABELS)[number]>>;
  readonly openIterators: Gauge<(typeof LABELS)[number]>;
  readonly droppedRecords: Counter<(typeof LABELS)[number]>;
  /**
   * Open iterators per series (store type and name; a store's tasks share one), counted in plain
   * numbers and read into the gauge when it is collected: a session or window lookup opens and
   * closes an iterator per record, and a prom-client `inc`/`dec` (a label-set hash each) per iterator
   * cost more than the lookup's own bookkeeping. Kafka Streams' gauge reads a counter the same way.
   */
  private readonly openIteratorCounts = new Map<string, OpenIteratorCount>();

  private constructor(registry: Registry) {
    const latency = {} as Record<StateStoreOperation, Histogram<(typeof LABELS)[number]>>;
    for (const op of STATE_STORE_OPERATIONS) {
      latency[op] = histogram(
        registry,
        `kafka_stream_state_${op}_latency_seconds`,
        `Latency of state store ${op} calls, in seconds`,
      );
    }
    this.latency = latency;
    const counts = this.openIteratorCounts;
    this.openIterators = gauge(
      registry,
      'kafka_stream_state_num_open_iterators',
      'Iterators of a state store not closed yet',
      function (this: Gauge<(typeof LABELS)[number]>) {
        for (const c of counts.values()) this.labels(c.labels).set(c.open);
      },
    );
    this.droppedRecords = counter(
      registry,
      'kafka_stream_state_dropped_records_total',
      'Writes a window or session store dropped because their window had expired',
    );
  }

  /** The metrics registered in `registry` (the prom-client default registry if omitted), created once. */
  static of(registry: Registry = defaultRegistry): StateStoreMetrics {
    let m = StateStoreMetrics.perRegistry.get(registry);
    if (m === undefined) {
      m = new StateStoreMetrics(registry);
      StateStoreMetrics.perRegistry.set(registry, m);
    }
    return m;
  }

  /**
   * Per-store handles, with labels resolved once. With `recordLatency` false (recording level
   * `INFO`) the latency handles record nothing and no latency series is created for the store.
   */
  forStore(storeType: string, storeName: string, recordLatency = true): StoreMetricHandles {
    const labels = { store_type: storeType, store_name: storeName };
    const latency = {} as Record<StateStoreOperation, { observe(v: number): void }>;
    for (const op of STATE_STORE_OPERATIONS)
      latency[op] = recordLatency ? this.latency[op].labels(labels) : NOT_RECORDED;
    const key = `${storeType}\u0000${storeName}`;
    let count = this.openIteratorCounts.get(key);
    if (count === undefined) {
      count = new OpenIteratorCount(labels);
      this.openIteratorCounts.set(key, count);
    }
    return {
      latency,
      openIterators: count,
      droppedRecords: this.droppedRecords.labels(labels),
    };
  }
}

const NOT_RECORDED = Object.freeze({ observe: (_v: number): void => undefined });

/** The open iterators of one gauge series, read by the gauge's `collect`. */
class OpenIteratorCount {
  open = 0;
  constructor(readonly labels: Record<(typeof LABELS)[number], string>) {}
  inc(v = 1): void {
    this.open += v;
  }
  dec(v = 1): void {
    this.open -= v;
  }
}

/** Label-bound metric children of one store. */
export interface StoreMetricHandles {
  readonly latency: Record<StateStoreOperation, { observe(v: number): void }>;
  readonly openIterators: { inc(v?: number): void; dec(v?: number): void };
  readonly droppedRecords: { inc(v?: number): void };
}

function histogram(registry: Registry, name: string, help: string): Histogram<(typeof LABELS)[number]> {
  return registeredMetric(
    registry,
    name,
    () => new Histogram({ name, help, labelNames: LABELS, buckets: BUCKETS, registers: [registry] }),
  );
}

function gauge(
  registry: Registry,
  name: string,
  help: string,
  collect: (this: Gauge<(typeof LABELS)[number]>) => void,
): Gauge<(typeof LABELS)[number]> {
  return registeredMetric(
    registry,
    name,
    () => new Gauge({ name, help, labelNames: LABELS, registers: [registry], collect }),
  );
}

function counter(registry: Registry, name: string, help: string): Counter<(typeof LABELS)[number]> {
  return registeredMetric(
    registry,
    name,
    () => new Counter({ name, help, labelNames: LABELS, registers: [registry] }),
  );
}
