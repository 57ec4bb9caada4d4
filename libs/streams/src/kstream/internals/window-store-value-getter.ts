import { TimestampedWindowStore } from '../../state/internals/timestamped-window-store';
import { Windowed } from '../../state/window';
import { KTableValueGetterSupplier } from './ktable-processor-supplier';

/**
 * The value getter of a windowed aggregation's KTable (time and sliding windows): reads the window
 * `windowed.window().start()` of `windowed.key()` from the aggregation's timestamped window store, as
 * Kafka Streams' `KStreamWindowAggregateValueGetter` does.
 */
export function windowStoreValueGetter<K, VA>(storeName: string): KTableValueGetterSupplier<Windowed<K>, VA> {
  return {
    storeNames: () => [storeName],
    get: () => {
      let store!: TimestampedWindowStore<K, VA>;
      return {
        init: (context) => {
          store = context.getStateStore<TimestampedWindowStore<K, VA>>(storeName);
        },
        get: (windowed) => store.fetchWithTimestamp(windowed.key(), windowed.window().start()),
      };
    },
  };
}
