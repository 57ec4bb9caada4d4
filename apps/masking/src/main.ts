import 'reflect-metadata';
import { kafkaStreamsRuntime, runStreamsService } from '@gmart/nest-streams';
import { maskingStreamsOverrides } from './mask-dead-letter-record';
import { maskingConfig } from './masking.config';
import { MaskingModule } from './masking.module';

void runStreamsService({
  module: MaskingModule,
  config: maskingConfig,
  runtimeFactory: kafkaStreamsRuntime(maskingStreamsOverrides()),
});
