import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { KafkaStreamsState } from '@gmart/streams';
import type { StreamsStatus } from '../runtime/streams-status';
import { observeHeapAfterMajorGc, oldGenerationUsed } from './heap-after-major-gc';

/** Name of the gauge of the old generation in use after the last major GC. */
export const HEAP_AFTER_MAJOR_GC_METRIC = 'gmart_heap_old_generation_after_major_gc_bytes';

/**
 * A prom-client registry for one service: default label `service`, Node process metrics
 * (`process_*`, `nodejs_*`), `gmart_service_ready` / `gmart_service_streams_state`, and
 * {@link HEAP_AFTER_MAJOR_GC_METRIC} (see {@link observeHeapAfterMajorGc}: a heap figure that GC timing
 * does not move).
 * The same registry is handed to `@gmart/streams` so its metrics come out of `/metrics` too.
 */
export function createServiceRegistry(service: string, status: StreamsStatus): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'gmart_service_ready',
    help: '1 while the service streams client is RUNNING (what /health/ready reports), else 0',
    registers: [registry],
    collect() {
      this.set(status.ready ? 1 : 0);
    },
  });
  new Gauge({
    name: 'gmart_service_streams_state',
    help: 'Streams client state as seen by the service: 1 for the current state, 0 for the others',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      for (const s of Object.values(KafkaStreamsState)) this.set({ state: s }, s === status.state ? 1 : 0);
    },
  });
  const heapAfterGc = observeHeapAfterMajorGc();
  new Gauge({
    name: HEAP_AFTER_MAJOR_GC_METRIC,
    help:
      'V8 old generation in use right after the last major (mark-compact) GC, young generation excluded: ' +
      'what survives a full collection, not moved by when it is sampled (before the first major GC: in use now)',
    registers: [registry],
    collect() {
      this.set(heapAfterGc.bytes ?? oldGenerationUsed());
    },
  });
  return registry;
}
