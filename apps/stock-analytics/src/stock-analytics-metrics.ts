import { Counter, type Registry } from 'prom-client';

/** The service's own metrics (on the service registry, label `service="stock-analytics"`). */
export class StockAnalyticsMetrics {
  /** `gmart_stock_ticker_updates_total{view}`: ticker updates seen through the KStream (`stream`) or emitted by the KTable (`table`). */
  readonly tickerUpdates: Counter<'view'>;
  /** `gmart_stock_performance_punctuations_total`: punctuator runs. */
  readonly punctuations: Counter;
  /** `gmart_stock_performance_forwarded_total`: symbols forwarded to stock-performance. */
  readonly performanceForwarded: Counter;

  constructor(registry: Registry) {
    const existing = <T>(name: string) => registry.getSingleMetric(name) as T | undefined;
    this.tickerUpdates =
      existing<Counter<'view'>>('gmart_stock_ticker_updates_total') ??
      new Counter({
        name: 'gmart_stock_ticker_updates_total',
        help: 'Ticker updates seen through the KStream (view="stream") or emitted by the KTable (view="table")',
        labelNames: ['view'],
        registers: [registry],
      });
    this.punctuations =
      existing<Counter>('gmart_stock_performance_punctuations_total') ??
      new Counter({
        name: 'gmart_stock_performance_punctuations_total',
        help: 'Runs of the stock-performance wall-clock punctuator',
        registers: [registry],
      });
    this.performanceForwarded =
      existing<Counter>('gmart_stock_performance_forwarded_total') ??
      new Counter({
        name: 'gmart_stock_performance_forwarded_total',
        help: 'Symbols forwarded to stock-performance (over the differential threshold)',
        registers: [registry],
      });
  }
}
