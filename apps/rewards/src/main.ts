import 'reflect-metadata';
import { cardNumberRedactor } from '@gmart/gmart';
import { runStreamsService } from '@gmart/nest-streams';
import { rewardsConfig } from './rewards.config';
import { RewardsModule } from './rewards.module';

// Per-partition order of `rewards` and the changelog is guaranteed by @gmart/streams itself.
void runStreamsService({ module: RewardsModule, config: rewardsConfig, redactor: cardNumberRedactor });
