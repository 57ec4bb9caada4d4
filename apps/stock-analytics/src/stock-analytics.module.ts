import { Module } from '@nestjs/common';
import { STREAMS_TOPOLOGY } from '@gmart/nest-streams';
import { CustomersController } from './customers.controller';
import { StockAnalyticsService } from './stock-analytics.service';
import { StocksController } from './stocks.controller';
import { VolumeController } from './volume.controller';

/** The stock-analytics Nest module: topology provider and the query endpoints. */
@Module({
  controllers: [StocksController, VolumeController, CustomersController],
  providers: [StockAnalyticsService, { provide: STREAMS_TOPOLOGY, useExisting: StockAnalyticsService }],
})
export class StockAnalyticsModule {}
