import 'reflect-metadata';
import { kafkaStreamsRuntime, runStreamsService } from '@gmart/nest-streams';
import { maskingConfig } from './masking.config';
import { MaskingDeadLetterHandler } from './masking-dead-letter-handler';
import { MaskingModule } from './masking.module';

void runStreamsService({
  module: MaskingModule,
  config: maskingConfig,
  runtimeFactory: kafkaStreamsRuntime({ deserializationExceptionHandler: new MaskingDeadLetterHandler() }),
});
