import type { Collection, Document } from 'mongodb';
import { Processor, ProcessorSupplier, StoreBuilder } from '@gmart/streams';
import { MongoSinkProcessor } from './internals/mongo-sink-processor';
import { MongoSinkStoreImpl } from './internals/mongo-sink-store-impl';
import { SinkShared } from './internals/sink-shared';
import { REFUSED_REASON_HEADER } from './mongo-sink-headers';
import { MongoSinkOptions, MongoSinkSettings } from './mongo-sink-options';
import { MongoSinkStore } from './mongo-sink-store';

/**
 * A MongoDB sink as a `ProcessorSupplier`: give it to `KStream.process()` (or
 * `Topology.addProcessor()`); its store is added and connected automatically.
 *
 * The returned stream carries only the records the sink refused (see the `refuse` option), each
 * with the {@link REFUSED_REASON_HEADER} header, so they can be sent to a dead-letter topic.
 */
export class MongoSinkSupplier<K, V> implements ProcessorSupplier<K, V, K, V> {
  private readonly shared: SinkShared<K, V>;

  /** @internal Use {@link MongoSink.supplier}. */
  constructor(readonly options: MongoSinkOptions<K, V>) {
    this.shared = new SinkShared(options);
  }

  /** Name of the sink's per-task store (`<name>-mongodb-sink`), e.g. for `TopologyTestDriver.getStateStore()`. */
  get storeName(): string {
    return this.options.storeName;
  }

  /** A new sink processor for one task (called by the runtime). */
  get(): Processor<K, V, K, V> {
    return new MongoSinkProcessor(this.shared);
  }

  /** The sink's per-task store builder (not logged); the topology adds and connects it. */
  stores(): StoreBuilder[] {
    const name = this.storeName;
    const shared = this.shared;
    const builder: StoreBuilder<MongoSinkStore> = {
      name,
      loggingEnabled: false,
      logConfig: {},
      build: () => new MongoSinkStoreImpl(name, shared),
    };
    return [builder];
  }

  /**
   * Creates the declared indexes now (tasks also do it before their first record). Useful to fail
   * fast at start; retries while MongoDB is unreachable like writes do.
   */
  ensureIndexes(collection: Collection<Document> = this.options.collection()): Promise<void> {
    return this.shared.ensureIndexes(collection);
  }
}

/**
 * Entry point of the MongoDB sink (batched, idempotent upserts; offsets committed only after
 * MongoDB acknowledged; outages pause consumption).
 *
 * ```ts
 * builder.stream('purchases', Consumed.with(Serdes.String(), GmartSerdes.Purchase()))
 *   .process(MongoSink.supplier({ name: 'purchases', collection: db.collection('purchases'), indexes: [{ key: { storeId: 1 } }] }));
 * ```
 */
export const MongoSink = Object.freeze({
  /** Header of refused records: the reason. */
  REFUSED_REASON_HEADER,
  /** A sink for `stream.process(...)`; validates the settings now (throws `MongoSinkConfigError`). */
  supplier<K, V, TSchema extends Document = Document>(
    settings: MongoSinkSettings<K, V, TSchema> | MongoSinkOptions<K, V>,
  ): MongoSinkSupplier<K, V> {
    return new MongoSinkSupplier(
      settings instanceof MongoSinkOptions ? settings : MongoSinkOptions.of(settings),
    );
  },
});
