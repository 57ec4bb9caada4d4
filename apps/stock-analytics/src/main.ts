import 'reflect-metadata';
import { cardNumberRedactor } from '@gmart/gmart';
import { runStreamsService } from '@gmart/nest-streams';
import { stockAnalyticsConfig } from './stock-analytics.config';
import { StockAnalyticsModule } from './stock-analytics.module';
import { stockAnalyticsRuntime } from './stock-analytics-runtime';

void runStreamsService({
  module: StockAnalyticsModule,
  config: stockAnalyticsConfig,
  runtimeFactory: stockAnalyticsRuntime(),
  redactor: cardNumberRedactor,
});
