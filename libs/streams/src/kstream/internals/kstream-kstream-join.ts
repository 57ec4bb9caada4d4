import { ProcessorSupplier } from '../../processor/processor';
import { ProcessorContext } from '../../processor/processor-context';
import { Record } from '../../processor/record';
import { Serde } from '../../serialization/serde';
import type { KeyValue } from '../../state/key-value';
import type { KeyValueStore } from '../../state/key-value-store';
import type { LeftOrRightValue } from '../../state/internals/left-or-right-value';
import type { TimestampedKeyAndJoinSide } from '../../state/internals/timestamped-key-and-join-side';
import type { WindowStore } from '../../state/window-store';
import { JoinWindows } from '../join-windows';
import { ContextualProcessor } from './contextual-processor';
import { JoinTimeTracker, JoinTimeTrackerSupplier } from './join-time-tracker';
import { recordDropped } from './dsl-context';

/** The user's joiner normalised to `(key, leftValue, rightValue)`. */
export type KeyedJoiner<K, V1, V2, VR> = (key: K, left: V1 | null, right: V2 | null) => VR;

type OuterStore<K, V1, V2> = KeyValueStore<TimestampedKeyAndJoinSide<K>, LeftOrRightValue<V1, V2>[]>;

/**
 * One side of a windowed stream-stream join (Kafka Streams' `KStreamKStreamJoin` with its
 * `LeftSide` / `RightSide`). A record of this side joins every record of the other side's window
 * store with the same key and a timestamp in `[t - joinBefore, t + joinAfter]`; the result has the
 * later of the two timestamps. When this side is outer and nothing matched, the record waits in
 * the shared outer-join store until its window plus grace has passed in stream time, and is then
 * emitted once joined with `null`, unless a later record of the other side matched it meanwhile.
 */
export class KStreamKStreamJoin<K, V1, V2, VR> implements ProcessorSupplier<K, unknown, K, VR> {
  constructor(
    private readonly leftSide: boolean,
    private readonly otherWindowName: string,
    private readonly windows: JoinWindows,
    private readonly joiner: KeyedJoiner<K, V1, V2, VR>,
    /** Whether unmatched records of this side are emitted (left side of left/outer, right of outer). */
    private readonly outer: boolean,
    private readonly outerJoinStoreName: string | undefined,
    private readonly timeTrackers: JoinTimeTrackerSupplier,
    /** Binds the config's default serdes to the join's stores where none were given. */
    private readonly bindDefaultSerdes: (defaults: { key: Serde<unknown>; value: Serde<unknown> }) => void,
  ) {}

  get(): ContextualProcessor<K, unknown, K, VR> {
    return new KStreamKStreamJoinProcessor(
      this.leftSide,
      this.otherWindowName,
      this.windows,
      this.joiner,
      this.outer,
      this.outerJoinStoreName,
      this.timeTrackers,
      this.bindDefaultSerdes,
    );
  }
}

/** The other side's window store; the metered one also reads a key's range into an array at once. */
type OtherWindow<K> = WindowStore<K, unknown> & {
  fetchRangeArray?(key: K, timeFrom: number, timeTo: number): KeyValue<number, unknown>[] | undefined;
};

class KStreamKStreamJoinProcessor<K, V1, V2, VR> extends ContextualProcessor<K, unknown, K, VR> {
  private otherWindow!: OtherWindow<K>;
  private outerStore: OuterStore<K, V1, V2> | undefined;
  private time!: JoinTimeTracker;
  private readonly joinBeforeMs: number;
  private readonly joinAfterMs: number;
  private readonly graceMs: number;

  constructor(
    private readonly leftSide: boolean,
    private readonly otherWindowName: string,
    private readonly windows: JoinWindows,
    private readonly joiner: KeyedJoiner<K, V1, V2, VR>,
    private readonly outer: boolean,
    private readonly outerJoinStoreName: string | undefined,
    private readonly timeTrackers: JoinTimeTrackerSupplier,
    private readonly bindDefaultSerdes: (defaults: { key: Serde<unknown>; value: Serde<unknown> }) => void,
  ) {
    super();
    // The right side looks at the left side's window from the other direction.
    this.joinBeforeMs = leftSide ? windows.beforeMs : windows.afterMs;
    this.joinAfterMs = leftSide ? windows.afterMs : windows.beforeMs;
    this.graceMs = windows.graceMs;
  }

  override init(context: ProcessorContext<K, VR>): void {
    super.init(context);
    this.bindDefaultSerdes({ key: context.keySerde(), value: context.valueSerde() });
    this.otherWindow = context.getStateStore<OtherWindow<K>>(this.otherWindowName);
    if (this.outerJoinStoreName)
      this.outerStore = context.getStateStore<OuterStore<K, V1, V2>>(this.outerJoinStoreName);
    this.time = this.timeTrackers.get(String(context.taskId));
  }

  process(record: Record<K, unknown>): void {
    const ts = record.timestamp;
    const time = this.time;
    time.advanceStreamTime(ts);
    const nullKey = record.key === null || record.key === undefined;
    const nullValue = record.value === null || record.value === undefined;
    if (this.outer && nullKey && !nullValue) {
      this.context.forward(record.withValue(this.apply(record.key, record.value, null)));
      return;
    }
    if (nullKey || nullValue) {
      recordDropped(this.context, 'null_key_or_value');
      return;
    }
    // Emit the unmatched records whose window has closed (only records at stream time trigger it).
    if (this.outerStore && ts === time.streamTime) this.emitNonJoinedOuterRecords(this.outerStore, record);

    const timeFrom = Math.max(0, ts - this.joinBeforeMs);
    const timeTo = Math.max(0, ts + this.joinAfterMs);
    let matched = false;
    // The same entries as fetchRange's, read at once when the store can (no iterator per record).
    const found = this.otherWindow.fetchRangeArray?.(record.key, timeFrom, timeTo);
    if (found !== undefined) {
      for (let i = 0; i < found.length; i++) {
        matched = true;
        this.emitInnerJoin(record, found[i]!.key, found[i]!.value);
      }
    } else {
      const it = this.otherWindow.fetchRange(record.key, timeFrom, timeTo);
      try {
        for (const other of it) {
          matched = true;
          this.emitInnerJoin(record, other.key, other.value);
        }
      } finally {
        it.close();
      }
    }
    if (this.outer && !matched) {
      // Already past its window (a late record): emit at once; otherwise wait for the window to close.
      if (!this.outerStore || timeTo < time.streamTime) {
        this.context.forward(record.withValue(this.apply(record.key, record.value, null)));
      } else {
        time.updatedMinTime(ts);
        const key: TimestampedKeyAndJoinSide<K> = { key: record.key, timestamp: ts, leftSide: this.leftSide };
        const value = (this.leftSide ? { left: record.value } : { right: record.value }) as LeftOrRightValue<
          V1,
          V2
        >;
        const list = this.outerStore.get(key);
        this.outerStore.put(key, list ? [...list, value] : [value]);
      }
    }
  }

  /** Joins `thisValue` (of this side) and `otherValue`, in left-right order. */
  private apply(key: K, thisValue: unknown, otherValue: unknown): VR {
    return this.leftSide
      ? this.joiner(key, thisValue as V1 | null, otherValue as V2 | null)
      : this.joiner(key, otherValue as V1 | null, thisValue as V2 | null);
  }

  private emitInnerJoin(record: Record<K, unknown>, otherTimestamp: number, otherValue: unknown): void {
    if (this.outerStore) {
      // The other side's record is matched now: it must not be emitted as unmatched later.
      const otherKey: TimestampedKeyAndJoinSide<K> = {
        key: record.key,
        timestamp: otherTimestamp,
        leftSide: !this.leftSide,
      };
      if (this.outerStore.get(otherKey) !== undefined) this.outerStore.put(otherKey, null);
    }
    this.context.forward(
      record
        .withValue(this.apply(record.key, record.value, otherValue))
        .withTimestamp(Math.max(record.timestamp, otherTimestamp)),
    );
  }

  private emitNonJoinedOuterRecords(store: OuterStore<K, V1, V2>, record: Record<K, unknown>): void {
    const time = this.time;
    // Skip the scan when nothing can have closed (minTime unknown after a restart: scan).
    if (
      time.minTime !== Number.MAX_SAFE_INTEGER &&
      time.minTime + this.joinAfterMs + this.graceMs >= time.streamTime
    )
      return;
    time.minTime = Number.MAX_SAFE_INTEGER;
    const it = store.all();
    let prevKey: TimestampedKeyAndJoinSide<K> | undefined;
    let leftOpen = false;
    let rightOpen = false;
    try {
      while (it.hasNext()) {
        const { key, value } = it.next().value as {
          key: TimestampedKeyAndJoinSide<K>;
          value: LeftOrRightValue<V1, V2>[];
        };
        time.minTime = key.timestamp;
        if (leftOpen && rightOpen) break;
        // Ordered by timestamp, right before left: once both sides reach an open window, stop.
        const lookBack = key.leftSide ? this.windows.afterMs : this.windows.beforeMs;
        if (time.minTime + lookBack + this.graceMs >= time.streamTime) {
          if (key.leftSide) leftOpen = true;
          else rightOpen = true;
          continue;
        }
        for (const v of value) {
          this.context.forward(
            new Record<K, VR>(
              key.key,
              this.joiner(key.key, v.left ?? null, v.right ?? null),
              key.timestamp,
              record.headers,
            ),
          );
        }
        // Delete the previous key only now: a failure above must not lose later values.
        if (prevKey) store.put(prevKey, null);
        prevKey = key;
      }
    } finally {
      it.close();
    }
    if (prevKey) store.put(prevKey, null);
  }

  close(): void {
    this.timeTrackers.remove(String(this.context.taskId));
  }
}
