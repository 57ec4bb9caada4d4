import { ProcessorContext } from '../../processor/processor-context';
import { ProcessorSupplier } from '../../processor/processor';
import { Record } from '../../processor/record';
import { TimestampedWindowStore } from '../../state/internals/timestamped-window-store';
import { Window, Windowed } from '../../state/window';
import { Aggregator, Initializer } from '../aggregation';
import { TimeWindows } from '../time-windows';
import { Change } from './change';
import { ContextualProcessor } from './contextual-processor';
import { DeferredSerde } from './deferred-serde';
import { bindDefaultSerdes, recordDropped, recordLate } from './dsl-context';
import { KTableParent, KTableValueGetterSupplier } from './ktable-processor-supplier';
import { TimestampedTupleForwarder } from './timestamped-tuple-forwarder';
import { windowStoreValueGetter } from './window-store-value-getter';

/**
 * Windowed `count`/`reduce`/`aggregate` over `TimeWindows` (Kafka Streams' `KStreamWindowAggregate`):
 * for each window the record falls in, the window's aggregate is updated unless the window is closed
 * (its end is not after stream time minus grace); a record for a closed window is dropped and counted
 * (`kafka_stream_dropped_records_total{reason="late"}`, once per closed window), logged without its data.
 */
export class KStreamWindowAggregate<K, V, VA>
  implements ProcessorSupplier<K, V, Windowed<K>, Change<VA>>, KTableParent<Windowed<K>, VA>
{
  private sendOldValues = false;

  constructor(
    readonly storeName: string,
    private readonly windows: TimeWindows,
    private readonly initializer: Initializer<VA> | null,
    private readonly aggregator: Aggregator<K, V, VA> | ((key: K, value: V, agg: VA | null) => VA),
    private readonly serdes: { key: DeferredSerde<K>; value: DeferredSerde<VA> },
  ) {}

  enableSendingOldValues(): boolean {
    this.sendOldValues = true;
    return true;
  }

  view(): KTableValueGetterSupplier<Windowed<K>, VA> {
    return windowStoreValueGetter<K, VA>(this.storeName);
  }

  get(): ContextualProcessor<K, V, Windowed<K>, Change<VA>> {
    return new (class extends ContextualProcessor<K, V, Windowed<K>, Change<VA>> {
      private store!: TimestampedWindowStore<K, VA>;
      private forwarder!: TimestampedTupleForwarder<Windowed<K>, VA>;
      private observedStreamTime = -1;

      constructor(private readonly self: KStreamWindowAggregate<K, V, VA>) {
        super();
      }

      override init(context: ProcessorContext<Windowed<K>, Change<VA>>): void {
        super.init(context);
        bindDefaultSerdes(context, this.self.serdes.key, this.self.serdes.value);
        this.store = context.getStateStore<TimestampedWindowStore<K, VA>>(this.self.storeName);
        this.forwarder = new TimestampedTupleForwarder(this.store, context, this.self.sendOldValues);
      }

      process(record: Record<K, V>): void {
        const self = this.self;
        if (record.key === null || record.key === undefined) {
          recordDropped(this.context, 'null_key_or_value');
          return;
        }
        const ts = record.timestamp;
        this.observedStreamTime = Math.max(this.observedStreamTime, ts);
        const windows = self.windows;
        const closeTime = this.observedStreamTime - windows.gracePeriodMs();
        const { sizeMs, advanceMs } = windows;
        // The windows of `windows.windowsFor(ts)`, by start time, without an array and a Window each
        // (one is built only to forward an update without caching).
        for (let start = windows.firstWindowStartFor(ts); start <= ts; start += advanceMs) {
          const end = start + sizeMs;
          if (end <= closeTime) {
            recordLate(this.context, ts, { start, end }, closeTime, this.observedStreamTime);
            continue;
          }
          const old = this.store.fetchWithTimestamp(record.key, start);
          const oldAgg = old === null ? (self.initializer ? self.initializer() : null) : old.value;
          const timestamp = old === null ? ts : Math.max(ts, old.timestamp);
          const newAgg = (self.aggregator as (k: K, v: V, a: VA | null) => VA)(
            record.key,
            record.value,
            oldAgg,
          );
          this.store.putWithTimestamp(record.key, newAgg, timestamp, start);
          // With caching on, the cache forwards on flush: no update record is made here.
          if (this.forwarder.forwardsOnWrite)
            this.forwarder.maybeForward(
              new Record<Windowed<K>, Change<VA>>(
                new Windowed(record.key, new Window(start, end)),
                new Change<VA>(newAgg, self.sendOldValues ? oldAgg : null),
                timestamp,
                record.headers,
              ),
            );
        }
      }
    })(this);
  }
}
