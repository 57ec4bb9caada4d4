import { TopologyError } from '../../errors/topology-error';
import { Serde } from '../../serialization/serde';
import { InvalidStoreConfigError } from '../../state/errors';
import { LeftOrRightValueListSerde } from '../../state/internals/left-or-right-value';
import { TimestampedKeyAndJoinSideSerde } from '../../state/internals/timestamped-key-and-join-side';
import type { WindowBytesStoreSupplier } from '../../state/store-supplier';
import { Stores } from '../../state/stores';
import { JoinWindows } from '../join-windows';
import { StreamJoined } from '../stream-joined';
import { DeferredSerde } from './deferred-serde';
import { JoinTimeTrackerSupplier } from './join-time-tracker';
import type { KStreamImpl } from './kstream-impl';
import { KStreamJoinWindow } from './kstream-join-window';
import { KeyedJoiner, KStreamKStreamJoin } from './kstream-kstream-join';
import { KStreamPassThrough } from './kstream-passthrough';

/** Node-name prefixes of a stream-stream join, as Kafka Streams generates them. */
const NAMES = {
  WINDOWED: 'KSTREAM-WINDOWED-',
  JOINTHIS: 'KSTREAM-JOINTHIS-',
  JOINOTHER: 'KSTREAM-JOINOTHER-',
  OUTERTHIS: 'KSTREAM-OUTERTHIS-',
  OUTEROTHER: 'KSTREAM-OUTEROTHER-',
  OUTERSHARED: 'KSTREAM-OUTERSHARED-',
  MERGE: 'KSTREAM-MERGE-',
} as const;

/**
 * Builds a windowed stream-stream join (Kafka Streams' `KStreamImplJoin`) on two co-partitioned,
 * already repartitioned streams: a `-windowed` processor per side writing that side's window store,
 * a join processor per side probing the other side's store, and a merge of both. Left and outer
 * joins share an outer-join store of unmatched records. Node and store names follow Kafka Streams.
 */
export function joinStreams<K, V1, V2, VR>(
  lhs: KStreamImpl<K, V1>,
  other: KStreamImpl<K, V2>,
  joiner: KeyedJoiner<K, V1, V2, VR>,
  windows: JoinWindows,
  streamJoined: StreamJoined<K, V1, V2> | undefined,
  leftOuter: boolean,
  rightOuter: boolean,
): { name: string; keySerde: Serde<K> | undefined } {
  const builder = lhs.builder;
  const f = streamJoined?.fields;
  const named = f?.name;
  const thisSuffix = rightOuter ? '-outer-this-join' : '-this-join';
  const otherSuffix = leftOuter ? '-outer-other-join' : '-other-join';
  const orElse = (suffix: string, prefix: string) => (named ? named + suffix : builder.newName(prefix));
  const thisWindowedName = orElse('-this-windowed', NAMES.WINDOWED);
  const otherWindowedName = orElse('-other-windowed', NAMES.WINDOWED);
  const joinThisGenerated = builder.newName(rightOuter ? NAMES.OUTERTHIS : NAMES.JOINTHIS);
  const joinOtherGenerated = builder.newName(leftOuter ? NAMES.OUTEROTHER : NAMES.JOINOTHER);
  const joinThisName = named ? named + thisSuffix : joinThisGenerated;
  const joinOtherName = named ? named + otherSuffix : joinOtherGenerated;
  const mergeName = orElse('-merge', NAMES.MERGE);

  const keySerde = DeferredSerde.of<K>(f?.keySerde ?? lhs.keySerde, `join ${mergeName}: key`);
  const thisValueSerde = DeferredSerde.of<V1>(f?.valueSerde ?? lhs.valueSerde, `join ${mergeName}: value`);
  const otherValueSerde = DeferredSerde.of<V2>(
    f?.otherValueSerde ?? other.valueSerde,
    `join ${mergeName}: other value`,
  );
  const thisSupplier = f?.thisStoreSupplier;
  const otherSupplier = f?.otherStoreSupplier;
  if (thisSupplier && otherSupplier && thisSupplier.name === otherSupplier.name)
    throw new TopologyError(
      `Both store suppliers of join ${mergeName} are named "${thisSupplier.name}"; names must be unique`,
    );
  const baseStore = f?.storeName;
  const thisStore = windowStore(
    thisSupplier ?? supplier(baseStore ? baseStore + thisSuffix : joinThisGenerated, windows),
    windows,
    keySerde,
    thisValueSerde,
    streamJoined,
  );
  const otherStore = windowStore(
    otherSupplier ?? supplier(baseStore ? baseStore + otherSuffix : joinOtherGenerated, windows),
    windows,
    keySerde,
    otherValueSerde,
    streamJoined,
  );

  let outerStoreName: string | undefined;
  if (leftOuter) {
    const suffix = rightOuter ? '-outer-shared-join' : '-left-shared-join';
    const base = thisSupplier?.name
      ? thisSupplier.name + suffix
      : baseStore
        ? baseStore + suffix
        : NAMES.OUTERSHARED + joinThisGenerated.slice((rightOuter ? NAMES.OUTERTHIS : NAMES.JOINTHIS).length);
    outerStoreName = `${base}-store`;
    const inMemory = thisSupplier === undefined || thisSupplier.metricsScope === 'in-memory-window';
    const sb = Stores.keyValueStoreBuilder(
      inMemory
        ? Stores.inMemoryKeyValueStore(outerStoreName)
        : Stores.persistentKeyValueStore(outerStoreName),
      new TimestampedKeyAndJoinSideSerde(keySerde),
      new LeftOrRightValueListSerde(thisValueSerde, otherValueSerde),
    );
    if (f && !f.loggingEnabled) sb.withLoggingDisabled();
    else sb.withLoggingEnabled({ ...(f?.topicConfig ?? {}) });
    builder.addStateStore(sb);
  }

  const trackers = new JoinTimeTrackerSupplier();
  builder.addProcessor(thisWindowedName, new KStreamJoinWindow(thisStore.name), lhs.name);
  builder.addStateStore(thisStore, thisWindowedName);
  builder.addProcessor(otherWindowedName, new KStreamJoinWindow(otherStore.name), other.name);
  builder.addStateStore(otherStore, otherWindowedName);
  const bind = (defaults: { key: Serde<unknown>; value: Serde<unknown> }) => {
    keySerde.bindDefault(defaults.key);
    thisValueSerde.bindDefault(defaults.value);
    otherValueSerde.bindDefault(defaults.value);
  };
  builder.addProcessor(
    joinThisName,
    new KStreamKStreamJoin<K, V1, V2, VR>(
      true,
      otherStore.name,
      windows,
      joiner,
      leftOuter,
      outerStoreName,
      trackers,
      bind,
    ),
    thisWindowedName,
  );
  builder.addProcessor(
    joinOtherName,
    new KStreamKStreamJoin<K, V1, V2, VR>(
      false,
      thisStore.name,
      windows,
      joiner,
      rightOuter,
      outerStoreName,
      trackers,
      bind,
    ),
    otherWindowedName,
  );
  builder.connectProcessorAndStateStores(
    joinThisName,
    otherStore.name,
    ...(outerStoreName ? [outerStoreName] : []),
  );
  builder.connectProcessorAndStateStores(
    joinOtherName,
    thisStore.name,
    ...(outerStoreName ? [outerStoreName] : []),
  );
  builder.addProcessor(mergeName, new KStreamPassThrough(), joinThisName, joinOtherName);
  return { name: mergeName, keySerde: f?.keySerde ?? lhs.keySerde };
}

function supplier(name: string, windows: JoinWindows): WindowBytesStoreSupplier {
  // In memory by default (restored from the changelog): the LMDB window store costs ~10 ms per record in a join.
  return Stores.inMemoryWindowStore(`${name}-store`, windows.size() + windows.graceMs, windows.size(), true);
}

function windowStore<K, V>(
  s: WindowBytesStoreSupplier,
  windows: JoinWindows,
  keySerde: Serde<K>,
  valueSerde: Serde<V>,
  streamJoined: StreamJoined<K, unknown, unknown> | undefined,
) {
  if (!s.retainDuplicates)
    throw new InvalidStoreConfigError(`join window store ${s.name}: the supplier must retain duplicates`);
  if (s.retentionMs !== windows.size() + windows.graceMs || s.windowSizeMs !== windows.size())
    throw new InvalidStoreConfigError(
      `join window store ${s.name}: window size ${s.windowSizeMs} and retention ${s.retentionMs} must be the ` +
        `join's size ${windows.size()} and size + grace ${windows.size() + windows.graceMs} (${windows})`,
    );
  const sb = Stores.windowStoreBuilder(s, keySerde, valueSerde);
  const f = streamJoined?.fields;
  if (f && !f.loggingEnabled) sb.withLoggingDisabled();
  else sb.withLoggingEnabled({ ...(f?.topicConfig ?? {}) });
  return sb;
}
