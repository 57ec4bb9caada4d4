import 'reflect-metadata';
import { cardNumberRedactor } from '@gmart/gmart';
import { runStreamsService } from '@gmart/nest-streams';
import { maskingConfig } from './masking.config';
import { MaskingModule } from './masking.module';

void runStreamsService({ module: MaskingModule, config: maskingConfig, redactor: cardNumberRedactor });
