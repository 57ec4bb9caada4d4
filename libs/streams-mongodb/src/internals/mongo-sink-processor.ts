import { Processor, ProcessorContext, Record } from '@gmart/streams';
import { MongoSinkError, MongoSinkRecordError } from '../errors/mongo-sink-error';
import { REFUSED_REASON_HEADER } from '../mongo-sink-headers';
import { MongoSinkStoreImpl } from './mongo-sink-store-impl';
import { SinkShared } from './sink-shared';

/**
 * Turns each record into an upsert in its task's sink store; asks for a commit when a batch is
 * full; forwards refused records (with the reason header) instead of storing them.
 */
export class MongoSinkProcessor<K, V> implements Processor<K, V, K, V> {
  private context!: ProcessorContext<K, V>;
  private store!: MongoSinkStoreImpl;

  constructor(private readonly shared: SinkShared<K, V>) {}

  init(context: ProcessorContext<K, V>): void {
    this.context = context;
    this.store = context.getStateStore<MongoSinkStoreImpl>(this.shared.options.storeName);
  }

  process(record: Record<K, V>): void {
    const o = this.shared.options;
    if (o.refuse) {
      const reason = o.refuse(record.key, record.value);
      if (reason) {
        this.shared.metrics.refused.inc({ sink: o.name });
        this.context.forward(
          record.withHeaders({ ...record.headers, [REFUSED_REASON_HEADER]: String(reason) }),
        );
        return;
      }
    }
    const position = this.context.recordMetadata();
    let id;
    let doc;
    try {
      id = o.id(record, position);
      doc = o.document(record, position);
    } catch (e) {
      if (e instanceof MongoSinkError) throw e;
      throw new MongoSinkRecordError(
        `The id or document function of MongoDB sink "${o.name}" threw: ${(e as Error)?.message ?? String(e)}`,
        { cause: e },
      );
    }
    if (!doc || typeof doc !== 'object' || Array.isArray(doc))
      throw new MongoSinkRecordError(
        `The document function of MongoDB sink "${o.name}" must return an object`,
      );
    if (Object.prototype.hasOwnProperty.call(doc, '_id'))
      throw new MongoSinkRecordError(
        `The document function of MongoDB sink "${o.name}" returned an _id; the id comes from the "id" option`,
      );
    if (this.store.add(id, doc) >= o.batchSize) this.context.commit();
  }
}
