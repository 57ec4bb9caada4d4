import 'reflect-metadata';
import { cardNumberRedactor } from '@gmart/gmart';
import { runStreamsService } from '@gmart/nest-streams';
import { withMongoSecretsRedacted } from './mongo-credentials';
import { storageConfig } from './storage.config';
import { StorageModule } from './storage.module';

// Every log line goes through the card-number redactor and loses MONGODB_URI's password.
void runStreamsService({
  module: StorageModule,
  config: storageConfig,
  redactor: withMongoSecretsRedacted(cardNumberRedactor, process.env.MONGODB_URI),
});
