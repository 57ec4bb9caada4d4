/**
 * `@gmart/streams-mongodb`: a MongoDB sink for `@gmart/streams` topologies. Batched, idempotent
 * upserts (`bulkWrite`, deterministic `_id`), offsets committed only after MongoDB acknowledged the
 * batch, and consumption paused (bounded memory) while MongoDB is unreachable.
 *
 * @packageDocumentation
 */
export { MongoSink, MongoSinkSupplier } from './mongo-sink';
export {
  MongoSinkOptions,
  type MongoSinkSettings,
  type MongoRetrySettings,
  type MongoDocumentMapper,
  type MongoRefusal,
  type MongoWriteMode,
} from './mongo-sink-options';
export { MongoSinkIds, type MongoIdMapper, type MongoDocumentId } from './mongo-sink-ids';
export type { MongoSinkStore } from './mongo-sink-store';
export { REFUSED_REASON_HEADER } from './mongo-sink-headers';
export {
  MongoSinkError,
  MongoSinkConfigError,
  MongoSinkWriteError,
  MongoSinkRecordError,
} from './errors/mongo-sink-error';
