export { EmbeddedMongo } from './embedded-mongo';
export { MongoOptions } from './embedded-mongo-options';
export type { EmbeddedMongoStats } from './embedded-mongo-stats';
export type { EmbeddedMongoOptions, FsyncPolicy, ResolvedMongoOptions } from './embedded-mongo-options';
export { MongoLoggers } from './logger';
export type { LogLevel, MongoLogger } from './logger';
export {
  CommandError,
  EmbeddedMongoError,
  InvalidConfigError,
  MalformedMessageError,
  StorageError,
} from './errors/embedded-mongo-error';
export { ErrorCode } from './errors/error-codes';
export { SUPPORTED_COMMANDS } from './internals/commands/command-dispatcher';
