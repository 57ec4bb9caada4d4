import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY, STREAMS_CONFIG, type StreamsTopologyProvider } from '@gmart/nest-streams';
import type { Topology } from '@gmart/streams';
import type { Registry } from 'prom-client';
import { StockAnalyticsMetrics } from './stock-analytics-metrics';
import { buildStockAnalyticsTopology } from './stock-analytics-topology';
import type { StockAnalyticsConfig } from './stock-analytics.config';

/** Provides the stock-analytics topology. */
@Injectable()
export class StockAnalyticsService implements StreamsTopologyProvider {
  constructor(
    @Inject(STREAMS_CONFIG) private readonly config: StockAnalyticsConfig,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
  ) {}

  buildTopology(): Topology {
    const { extra } = this.config;
    return buildStockAnalyticsTopology(this.config.topics, {
      differentialThreshold: extra.PERFORMANCE_THRESHOLD_PERCENT / 100,
      punctuateIntervalMs: extra.PERFORMANCE_PUNCTUATE_MS,
      printTicker: extra.PRINT_TICKER,
      transactionCountsGraceMs: extra.TRANSACTION_COUNTS_GRACE_MS,
      metrics: new StockAnalyticsMetrics(this.registry),
    });
  }
}
