import 'reflect-metadata';
import { kafkaStreamsRuntime, runStreamsService } from '@gmart/nest-streams';
import { rewardsConfig } from './rewards.config';
import { RewardsModule } from './rewards.module';

void runStreamsService({
  module: RewardsModule,
  config: rewardsConfig,
  // One produce request in flight per broker connection: with several, a customer's updates
  // could reach `rewards` and the store's changelog out of order (seen with @gmart/streams'
  // concurrent sends through kafkajs), and a restore would then pick a stale total.
  runtimeFactory: kafkaStreamsRuntime({ producer: { maxInFlightRequests: 1 } }),
});
