import 'reflect-metadata';
import { cardNumberRedactor } from '@gmart/gmart';
import { runStreamsService } from '@gmart/nest-streams';
import { patternsConfig } from './patterns.config';
import { PatternsModule } from './patterns.module';

void runStreamsService({ module: PatternsModule, config: patternsConfig, redactor: cardNumberRedactor });
