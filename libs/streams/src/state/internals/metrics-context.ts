import type { Registry } from 'prom-client';
import { type MetricsRecordingLevel, recordsAt } from '../../metrics/metrics-recording-level';
import type {
  StateRestoreCallback,
  StateStore,
  StateStoreContext,
  StoreRegistration,
} from '../../processor/state-store';
import { ForwardingStateStoreContext } from './forwarding-context';
import type { StoreMetricHandles } from './state-store-metrics';

/** A context that may carry the application's metrics registry (optional extension of the contract). */
export interface ContextWithMetricsRegistry extends StateStoreContext {
  readonly metricsRegistry?: Registry;
  /** The application's `metricsRecordingLevel`; store latencies are recorded from `DEBUG` (the default here). */
  readonly metricsRecordingLevel?: MetricsRecordingLevel;
}

/** Whether the stores of `context` time their operations (`DEBUG` and above; a context without a level does). */
export function storeLatencyRecorded(context: StateStoreContext): boolean {
  return recordsAt((context as ContextWithMetricsRegistry).metricsRecordingLevel ?? 'DEBUG', 'DEBUG');
}

/** The registry a store reports to: the builder's, else the context's, else prom-client's default. */
export function metricsRegistryOf(
  context: StateStoreContext,
  builderRegistry?: Registry,
): Registry | undefined {
  return builderRegistry ?? (context as ContextWithMetricsRegistry).metricsRegistry;
}

/** Times each restore batch of the stores below into `kafka_stream_state_restore_latency_seconds`. */
export class RestoreTimingContext extends ForwardingStateStoreContext {
  constructor(
    delegate: StateStoreContext,
    private readonly metrics: StoreMetricHandles,
  ) {
    super(delegate);
  }
  override register(
    store: StateStore,
    restore: StateRestoreCallback,
    registration?: StoreRegistration,
  ): void {
    const histogram = this.metrics.latency.restore;
    const timed: StateRestoreCallback = (batch) => {
      const start = performance.now();
      const result = restore(batch);
      if (result instanceof Promise)
        return result.finally(() => histogram.observe((performance.now() - start) / 1000));
      histogram.observe((performance.now() - start) / 1000);
      return result;
    };
    super.register(store, timed, registration);
  }
}
