import { ProcessorContext } from '../../processor/processor-context';
import { ProcessorSupplier } from '../../processor/processor';
import { Record } from '../../processor/record';
import { TimestampedWindowStore } from '../../state/internals/timestamped-window-store';
import type { ValueAndTimestamp } from '../../state/value-and-timestamp';
import { Window, Windowed } from '../../state/window';
import { Initializer } from '../aggregation';
import { SlidingWindows } from '../sliding-windows';
import { Change } from './change';
import { ContextualProcessor } from './contextual-processor';
import { DeferredSerde } from './deferred-serde';
import { bindDefaultSerdes, recordDropped, recordLate } from './dsl-context';
import { KTableParent, KTableValueGetterSupplier } from './ktable-processor-supplier';
import { TimestampedTupleForwarder } from './timestamped-tuple-forwarder';
import { windowStoreValueGetter } from './window-store-value-getter';

type Agg<VA> = ValueAndTimestamp<VA> | null;

/**
 * Windowed `count`/`reduce`/`aggregate` over `SlidingWindows` (Kafka Streams'
 * `KStreamSlidingWindowAggregate`, forward-iterating variant): a record updates every existing
 * window of its key that contains it, creates its left window `[t - d, t]` (seeded with the
 * aggregate of the window just before it when the previous record falls in it), creates its right
 * window `[t + 1, t + 1 + d]` from the aggregate of the window holding the records after it, and
 * creates the previous record's right window when it is missing and this record falls in it.
 * Records before `d` go to the window `[0, d]` ("early records"). A record whose right window ends
 * before stream time minus grace is dropped; a window whose end is before it is not updated; both
 * count in `kafka_stream_dropped_records_total{reason="late"}`.
 */
export class KStreamSlidingWindowAggregate<K, V, VA>
  implements ProcessorSupplier<K, V, Windowed<K>, Change<VA>>, KTableParent<Windowed<K>, VA>
{
  private sendOldValues = false;

  constructor(
    readonly storeName: string,
    private readonly windows: SlidingWindows,
    private readonly initializer: Initializer<VA | null>,
    private readonly aggregator: (key: K, value: V, agg: VA | null) => VA,
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
    return new SlidingWindowAggregateProcessor(this, this.windows, this.initializer, this.aggregator);
  }

  /** @internal */
  processorParts(): {
    storeName: string;
    sendOldValues: boolean;
    serdes: KStreamSlidingWindowAggregate<K, V, VA>['serdes'];
  } {
    return { storeName: this.storeName, sendOldValues: this.sendOldValues, serdes: this.serdes };
  }
}

class SlidingWindowAggregateProcessor<K, V, VA> extends ContextualProcessor<K, V, Windowed<K>, Change<VA>> {
  private store!: TimestampedWindowStore<K, VA>;
  private forwarder!: TimestampedTupleForwarder<Windowed<K>, VA>;
  private sendOldValues = false;
  private observedStreamTime = -1;
  private readonly d: number;

  constructor(
    private readonly supplier: KStreamSlidingWindowAggregate<K, V, VA>,
    private readonly windows: SlidingWindows,
    private readonly initializer: Initializer<VA | null>,
    private readonly aggregator: (key: K, value: V, agg: VA | null) => VA,
  ) {
    super();
    this.d = windows.timeDifferenceMs;
  }

  override init(context: ProcessorContext<Windowed<K>, Change<VA>>): void {
    super.init(context);
    const parts = this.supplier.processorParts();
    bindDefaultSerdes(context, parts.serdes.key, parts.serdes.value);
    this.sendOldValues = parts.sendOldValues;
    this.store = context.getStateStore<TimestampedWindowStore<K, VA>>(parts.storeName);
    this.forwarder = new TimestampedTupleForwarder(this.store, context, this.sendOldValues);
  }

  process(record: Record<K, V>): void {
    if (
      record.key === null ||
      record.key === undefined ||
      record.value === null ||
      record.value === undefined
    ) {
      recordDropped(this.context, 'null_key_or_value');
      return;
    }
    const ts = record.timestamp;
    this.observedStreamTime = Math.max(this.observedStreamTime, ts);
    const closeTime = this.observedStreamTime - this.windows.gracePeriodMs();
    if (ts + this.d < closeTime) {
      recordLate(this.context, ts, { start: ts - this.d, end: ts }, closeTime, this.observedStreamTime);
      return;
    }
    if (ts < this.d) this.processEarly(record, closeTime);
    else this.processInOrder(record, closeTime);
  }

  /** The key's windows starting in `[from, to]` by ascending start, read before any is written. */
  private windowsOf(key: K, from: number, to: number): Array<{ start: number; agg: ValueAndTimestamp<VA> }> {
    const out: Array<{ start: number; agg: ValueAndTimestamp<VA> }> = [];
    const it = this.store.inner.fetchRange(key, from, to);
    try {
      for (let n = it.next(); !n.done; n = it.next()) out.push({ start: n.value.key, agg: n.value.value });
    } finally {
      it.close();
    }
    return out;
  }

  private processInOrder(record: Record<K, V>, closeTime: number): void {
    const ts = record.timestamp;
    const d = this.d;
    const starts = new Set<number>();
    let leftWinAgg: Agg<VA> = null;
    let rightWinAgg: Agg<VA> = null;
    let leftWinAlreadyCreated = false;
    let rightWinAlreadyCreated = false;
    let previousRecordTimestamp: number | null = null;
    for (const { start, agg } of this.windowsOf(record.key, Math.max(0, ts - 2 * d), ts + 1)) {
      starts.add(start);
      const end = start + d;
      if (end < ts) {
        leftWinAgg = agg;
        previousRecordTimestamp = agg.timestamp;
      } else if (end === ts) {
        leftWinAlreadyCreated = true;
        if (agg.timestamp < ts) previousRecordTimestamp = agg.timestamp;
        this.updateWindowAndForward(start, agg, record, closeTime);
      } else if (end > ts && start <= ts) {
        rightWinAgg = agg;
        this.updateWindowAndForward(start, agg, record, closeTime);
      } else if (start === ts + 1) {
        rightWinAlreadyCreated = true;
      } else {
        throw new Error(
          `sliding window aggregate ${this.store.name}: unexpected window start ${start} for a record at ${ts}`,
        );
      }
    }
    // the previous record's right window, when missing and this record falls in it
    if (previousRecordTimestamp !== null) {
      const previousRightStart = previousRecordTimestamp + 1;
      if (!starts.has(previousRightStart) && previousRightStart + d >= ts)
        this.updateWindowAndForward(previousRightStart, this.initial(ts), record, closeTime);
    }
    // this record's left window
    if (!leftWinAlreadyCreated) {
      const seed =
        previousRecordTimestamp !== null && ts - d <= previousRecordTimestamp && leftWinAgg !== null
          ? { value: leftWinAgg.value, timestamp: ts }
          : this.initial(ts);
      this.updateWindowAndForward(ts - d, seed, record, closeTime);
    }
    // this record's right window, when records after it fall in it
    if (!rightWinAlreadyCreated && rightWinAgg !== null && rightWinAgg.timestamp > ts)
      this.createRightWindow(ts, rightWinAgg, record);
  }

  /** Records before the time difference: they share the window `[0, d]`. */
  private processEarly(record: Record<K, V>, closeTime: number): void {
    const ts = record.timestamp;
    let combined: { start: number; agg: ValueAndTimestamp<VA> } | null = null;
    let rightWinAgg: Agg<VA> = null;
    let rightWinAlreadyCreated = false;
    const starts = new Set<number>();
    let previousRecordTimestamp: number | null = null;
    for (const w of this.windowsOf(record.key, 0, ts + 1)) {
      starts.add(w.start);
      if (w.start === 0) {
        combined = w;
        if (w.agg.timestamp < ts) previousRecordTimestamp = w.agg.timestamp;
      } else if (w.start <= ts) {
        rightWinAgg = w.agg;
        this.updateWindowAndForward(w.start, w.agg, record, closeTime);
      } else if (w.start === ts + 1) {
        rightWinAlreadyCreated = true;
      } else {
        throw new Error(
          `sliding window aggregate ${this.store.name}: unexpected window start ${w.start} for an early record at ${ts}`,
        );
      }
    }
    if (rightWinAgg === null && combined !== null && combined.agg.timestamp > ts) rightWinAgg = combined.agg;
    if (!rightWinAlreadyCreated && rightWinAgg !== null && rightWinAgg.timestamp > ts)
      this.createRightWindow(ts, rightWinAgg, record);
    if (previousRecordTimestamp !== null && !starts.has(previousRecordTimestamp + 1))
      this.updateWindowAndForward(previousRecordTimestamp + 1, this.initial(ts), record, closeTime);
    if (combined === null) this.updateWindowAndForward(0, this.initial(ts), record, closeTime);
    else this.updateWindowAndForward(0, combined.agg, record, closeTime);
  }

  /** A new aggregate, `null` when the initializer gives none (reduce). */
  private initial(ts: number): Agg<VA> {
    const value = this.initializer();
    return value === null || value === undefined ? null : { value, timestamp: ts };
  }

  private createRightWindow(ts: number, rightWinAgg: ValueAndTimestamp<VA>, record: Record<K, V>): void {
    const start = ts + 1;
    this.store.putWithTimestamp(record.key, rightWinAgg.value, rightWinAgg.timestamp, start);
    this.maybeForward(record, start, null, rightWinAgg.value, rightWinAgg.timestamp);
  }

  private updateWindowAndForward(
    start: number,
    current: Agg<VA>,
    record: Record<K, V>,
    closeTime: number,
  ): void {
    const end = start + this.d;
    if (end < closeTime) {
      recordLate(this.context, record.timestamp, { start, end }, closeTime, this.observedStreamTime);
      return;
    }
    const oldAgg = current === null ? null : current.value;
    const newAgg = this.aggregator(record.key, record.value, oldAgg);
    const timestamp = oldAgg === null ? record.timestamp : Math.max(record.timestamp, current!.timestamp);
    this.store.putWithTimestamp(record.key, newAgg, timestamp, start);
    this.maybeForward(record, start, oldAgg, newAgg, timestamp);
  }

  private maybeForward(
    record: Record<K, V>,
    start: number,
    oldAgg: VA | null,
    newAgg: VA,
    timestamp: number,
  ): void {
    this.forwarder.maybeForward(
      new Record<Windowed<K>, Change<VA>>(
        new Windowed(record.key, new Window(start, start + this.d)),
        new Change<VA>(newAgg, this.sendOldValues ? oldAgg : null),
        timestamp,
        record.headers,
      ),
    );
  }
}
