import { Counter, type Registry } from 'prom-client';

/** Request and traffic counters of the TCP server. */
export class ServerMetrics {
  readonly bytesIn: Counter;
  readonly bytesOut: Counter;
  private readonly requestCounter: Counter<'api'>;
  private readonly byApi = new Map<string, { inc(): void }>();

  constructor(registry: Registry) {
    this.bytesIn = new Counter({
      name: 'kafka_server_bytes_in_total',
      help: 'Bytes received from clients',
      registers: [registry],
    });
    this.bytesOut = new Counter({
      name: 'kafka_server_bytes_out_total',
      help: 'Bytes sent to clients',
      registers: [registry],
    });
    this.requestCounter = new Counter({
      name: 'kafka_server_requests_total',
      help: 'Requests received, by API',
      labelNames: ['api'],
      registers: [registry],
    });
  }

  /** The (cached) counter child for one API. */
  requests(api: string): { inc(): void } {
    let c = this.byApi.get(api);
    if (!c) {
      c = this.requestCounter.labels(api);
      this.byApi.set(api, c);
    }
    return c;
  }
}
