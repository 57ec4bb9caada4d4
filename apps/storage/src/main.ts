import 'reflect-metadata';
import { cardNumberRedactor } from '@gmart/gmart';
import { runStreamsService } from '@gmart/nest-streams';
import { storageConfig } from './storage.config';
import { StorageModule } from './storage.module';

void runStreamsService({ module: StorageModule, config: storageConfig, redactor: cardNumberRedactor });
