import { ProcessorContext } from '../../processor/processor-context';
import { ProcessorSupplier } from '../../processor/processor';
import { Record } from '../../processor/record';
import type { CachedStateStore } from '../../state/cached-state-store';
import type { KeyValue } from '../../state/key-value';
import type { SessionStore } from '../../state/session-store';
import { Window, Windowed } from '../../state/window';
import { Aggregator, Initializer, Merger } from '../aggregation';
import { SessionWindows } from '../time-windows';
import { Change } from './change';
import { ContextualProcessor } from './contextual-processor';
import { DeferredSerde } from './deferred-serde';
import { asNode, bindDefaultSerdes, currentNodeOf, recordDropped, recordLate } from './dsl-context';
import { KTableParent, KTableValueGetterSupplier } from './ktable-processor-supplier';

type Store<K, VA> = SessionStore<K, VA> & CachedStateStore<Windowed<K>, VA>;

/**
 * A session store that reads `findSessions`' entries into an array with no iterator (the metered
 * layer's `findSessionsArray`).
 */
interface SessionsArrayStore<K, VA> {
  findSessionsArray?(
    key: K,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): readonly KeyValue<Windowed<K>, VA>[];
}

/**
 * Session-windowed `count`/`reduce`/`aggregate` (Kafka Streams' `KStreamSessionWindowAggregate`):
 * a record starts the session `[t, t]` and merges every session of its key that ends at or after
 * `t - gap` and starts at or before `t + gap`; merged sessions are removed (forwarded as deletes).
 * The record is late (dropped, counted) when the merged session ends before stream time minus
 * grace minus gap. Updates carry the session end as their timestamp.
 */
export class KStreamSessionWindowAggregate<K, V, VA>
  implements ProcessorSupplier<K, V, Windowed<K>, Change<VA>>, KTableParent<Windowed<K>, VA>
{
  private sendOldValues = false;

  constructor(
    readonly storeName: string,
    private readonly windows: SessionWindows,
    private readonly initializer: Initializer<VA | null>,
    private readonly aggregator: Aggregator<K, V, VA | null>,
    private readonly merger: Merger<K, VA | null>,
    private readonly serdes: { key: DeferredSerde<K>; value: DeferredSerde<VA> },
  ) {}

  enableSendingOldValues(): boolean {
    this.sendOldValues = true;
    return true;
  }

  view(): KTableValueGetterSupplier<Windowed<K>, VA> {
    const storeName = this.storeName;
    return {
      storeNames: () => [storeName],
      get: () => {
        let store!: Store<K, VA>;
        return {
          init: (context) => {
            store = context.getStateStore<Store<K, VA>>(storeName);
          },
          get: (w) => {
            const value = store.fetchSession(w.key(), w.window().start(), w.window().end());
            return value === undefined ? null : { value, timestamp: w.window().end() };
          },
        };
      },
    };
  }

  get(): ContextualProcessor<K, V, Windowed<K>, Change<VA>> {
    return new (class extends ContextualProcessor<K, V, Windowed<K>, Change<VA>> {
      private store!: Store<K, VA>;
      private caching = false;
      private observedStreamTime = -1;

      constructor(private readonly self: KStreamSessionWindowAggregate<K, V, VA>) {
        super();
      }

      override init(context: ProcessorContext<Windowed<K>, Change<VA>>): void {
        super.init(context);
        const self = this.self;
        bindDefaultSerdes(context, self.serdes.key, self.serdes.value);
        this.store = context.getStateStore<Store<K, VA>>(self.storeName);
        const node = currentNodeOf(context);
        this.caching = this.store.setFlushListener(
          (key, newValue, oldValue, _timestamp, headers) =>
            asNode(context, node, () =>
              context.forward(
                new Record(
                  key,
                  new Change<VA>(newValue, self.sendOldValues ? (oldValue ?? null) : null),
                  key.window().end(),
                  headers,
                ),
              ),
            ),
          self.sendOldValues,
        );
      }

      private forward(key: Windowed<K>, newAgg: VA | null, oldAgg: VA | null): void {
        if (this.caching) return;
        this.context.forward(
          new Record(
            key,
            new Change<VA>(newAgg, this.self.sendOldValues ? oldAgg : null),
            key.window().end(),
          ),
        );
      }

      /**
       * `findSessions(key, earliestEnd, latestStart)`'s sessions, read into an array: at once when the
       * store can ({@link SessionsArrayStore}), else through its iterator.
       */
      private sessionsNear(
        key: K,
        earliestEnd: number,
        latestStart: number,
      ): readonly KeyValue<Windowed<K>, VA>[] {
        const found = (this.store as SessionsArrayStore<K, VA>).findSessionsArray?.(
          key,
          earliestEnd,
          latestStart,
        );
        if (found !== undefined) return found;
        const sessions: KeyValue<Windowed<K>, VA>[] = [];
        const it = this.store.findSessions(key, earliestEnd, latestStart);
        try {
          for (const next of it) sessions.push(next);
        } finally {
          it.close();
        }
        return sessions;
      }

      process(record: Record<K, V>): void {
        const self = this.self;
        if (record.key === null || record.key === undefined) {
          recordDropped(this.context, 'null_key_or_value');
          return;
        }
        const ts = record.timestamp;
        const gap = self.windows.inactivityGapMs;
        this.observedStreamTime = Math.max(this.observedStreamTime, ts);
        const closeTime = this.observedStreamTime - self.windows.gracePeriodMs() - gap;
        const merged = this.sessionsNear(record.key, ts - gap, ts + gap);
        let start = ts;
        let end = ts;
        let agg = self.initializer();
        for (let i = 0; i < merged.length; i++) {
          const next = merged[i]!;
          agg = self.merger(record.key, agg, next.value);
          start = Math.min(start, next.key.window().start());
          end = Math.max(end, next.key.window().end());
        }
        if (end < closeTime) {
          recordLate(this.context, ts, { start, end }, closeTime, this.observedStreamTime);
          return;
        }
        if (start !== ts || end !== ts) {
          for (const session of merged) {
            this.store.remove(session.key);
            this.forward(session.key, null, session.value);
          }
        }
        agg = self.aggregator(record.key, record.value, agg);
        const sessionKey = new Windowed<K>(record.key, new Window(start, end));
        this.store.put(sessionKey, agg);
        this.forward(sessionKey, agg, null);
      }
    })(this);
  }
}
