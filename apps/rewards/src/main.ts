import 'reflect-metadata';
import { runStreamsService } from '@gmart/nest-streams';
import { rewardsConfig } from './rewards.config';
import { RewardsModule } from './rewards.module';

void runStreamsService({ module: RewardsModule, config: rewardsConfig });
