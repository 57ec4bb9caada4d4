/**
 * Default HTTP port of each G-Mart service (`HTTP_PORT` overrides it). Fixed here so the local
 * launcher, the Helm chart and the services agree.
 */
export const SERVICE_HTTP_PORTS: Readonly<Record<string, number>> = Object.freeze({
  masking: 8081,
  patterns: 8082,
  rewards: 8083,
  storage: 8084,
  'coupon-join': 8085,
  'stock-analytics': 8086,
});

/** Port used by a service that is not in {@link SERVICE_HTTP_PORTS}. */
export const FALLBACK_HTTP_PORT = 8080;

/** The default HTTP port of `service`. */
export function defaultHttpPort(service: string): number {
  return SERVICE_HTTP_PORTS[service] ?? FALLBACK_HTTP_PORT;
}
