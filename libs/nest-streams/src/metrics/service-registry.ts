import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { KafkaStreamsState } from '@gmart/streams';
import type { StreamsStatus } from '../runtime/streams-status';

/**
 * A prom-client registry for one service: default label `service`, Node process metrics
 * (`process_*`, `nodejs_*`), and `gmart_service_ready` / `gmart_service_streams_state`.
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
  return registry;
}
