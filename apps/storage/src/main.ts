import 'reflect-metadata';
import { runStreamsService } from '@gmart/nest-streams';
import { storageConfig } from './storage.config';
import { StorageModule } from './storage.module';

void runStreamsService({ module: StorageModule, config: storageConfig });
