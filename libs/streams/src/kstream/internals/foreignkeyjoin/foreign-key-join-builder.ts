import { InternalTopologyBuilder } from '../../../processor/internals/internal-topology-builder';
import { ProcessorContext } from '../../../processor/processor-context';
import { StreamPartitioner } from '../../../processor/stream-partitioner';
import { Serde } from '../../../serialization/serde';
import { Serdes } from '../../../serialization/serdes';
import { TimestampedKeyValueStoreBuilder } from '../../../state/internals/timestamped-store-builder';
import { Stores } from '../../../state/stores';
import { ValueAndTimestampSerde } from '../../../state/value-and-timestamp';
import { Materialized } from '../../materialized';
import { TableJoined } from '../../table-joined';
import { DeferredSerde } from '../deferred-serde';
import { bindDefaultSerdes } from '../dsl-context';
import { KTableValueGetterSupplier } from '../ktable-processor-supplier';
import { KTableSource } from '../ktable-source';
import { MaterializedInternal } from '../materialized-internal';
import { CombinedKeySchema } from './combined-key-schema';
import { ForeignTableJoinProcessorSupplier } from './foreign-table-join-processor';
import { ResponseJoinProcessorSupplier } from './response-join-processor';
import { SubscriptionJoinProcessorSupplier } from './subscription-join-processor';
import { SubscriptionReceiveProcessorSupplier } from './subscription-receive-processor';
import {
  SubscriptionResponseWrapper,
  SubscriptionResponseWrapperSerde,
} from './subscription-response-wrapper';
import { ForeignKeyJoinSerdes, SubscriptionSendProcessorSupplier } from './subscription-send-processor';
import { SubscriptionWrapperSerde } from './subscription-wrapper';

/** Name prefixes of a foreign-key join, as Kafka Streams generates them. */
export const FK_JOIN_NAMES = {
  SUBSCRIPTION_REGISTRATION: 'KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-',
  SUBSCRIPTION_RESPONSE: 'KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-',
  SUBSCRIPTION_PROCESSOR: 'KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-',
  SUBSCRIPTION_RESPONSE_RESOLVER_PROCESSOR: 'KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-',
  SUBSCRIPTION_STATE_STORE: 'KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-',
  OUTPUT: 'KTABLE-FK-JOIN-OUTPUT-',
  SINK: 'KTABLE-SINK-',
  SOURCE: 'KTABLE-SOURCE-',
  TOPIC_SUFFIX: '-topic',
} as const;

/** What a foreign-key join needs of each table (a `KTableImpl`). */
export interface ForeignKeyJoinTable<K, V> {
  enableSendingOldValues(forceMaterialization: boolean): boolean;
  readonly builder: InternalTopologyBuilder;
  readonly name: string;
  readonly keySerde: Serde<K> | undefined;
  readonly valueSerde: Serde<V> | undefined;
  valueGetterSupplier(): KTableValueGetterSupplier<K, V>;
  /** The topics feeding the table (for the co-partitioning of the internal topics). */
  sourceTopics(): string[];
}

/** The join's result table node, for the caller to wrap in a `KTableImpl`. */
export interface ForeignKeyJoinResult<K, VR> {
  readonly name: string;
  readonly source: KTableSource<K, VR>;
  readonly keySerde: Serde<K> | undefined;
  readonly valueSerde: Serde<VR> | undefined;
  readonly queryableName: string | undefined;
}

class JoinSerdes<K, V, KO, VO> implements ForeignKeyJoinSerdes<K, V, KO, VO> {
  readonly primaryKey: DeferredSerde<K>;
  readonly primaryValue: DeferredSerde<V>;
  readonly foreignKey: DeferredSerde<KO>;
  readonly foreignValue: DeferredSerde<VO>;

  constructor(self: ForeignKeyJoinTable<K, V>, other: ForeignKeyJoinTable<KO, VO>, what: string) {
    this.primaryKey = DeferredSerde.of(self.keySerde, `${what}: primary key serde`);
    this.primaryValue = DeferredSerde.of(self.valueSerde, `${what}: primary value serde`);
    this.foreignKey = DeferredSerde.of(other.keySerde, `${what}: foreign key serde`);
    this.foreignValue = DeferredSerde.of(other.valueSerde, `${what}: foreign value serde`);
  }

  bind(context: ProcessorContext<unknown, unknown>): void {
    bindDefaultSerdes(context, this.primaryKey, this.primaryValue);
    bindDefaultSerdes(context, this.foreignKey, this.foreignValue);
  }
}

/**
 * Builds a foreign-key join (Kafka Streams' `KTableImpl.doJoinOnForeignKey`, KIP-213). This table
 * sends a subscription per row to `<app>-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-<n>-topic`, keyed
 * and partitioned by the foreign key (co-partitioned with the other table); the other table's side
 * keeps subscriptions in `KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-<n>` (logged, not cached) and
 * answers each subscription, and each update of a foreign row, on
 * `<app>-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-<n>-topic`, keyed by the primary key and sent to the
 * primary row's partition (co-partitioned with this table); the resolver joins a response whose
 * value hash is still current and the result is a table (`KTABLE-FK-JOIN-OUTPUT-<n>`), materialized
 * when `Materialized` names a store or a downstream operator needs one. `TableJoined.as(name)`
 * names everything `<name>-subscription-registration-topic`, `<name>-subscription-store`, ...
 */
export function joinOnForeignKey<K, V, KO, VO, VR>(
  self: ForeignKeyJoinTable<K, V>,
  other: ForeignKeyJoinTable<KO, VO>,
  foreignKeyExtractor: (value: V) => KO | null,
  joiner: (value: V, foreignValue: VO | null) => VR,
  tableJoined: TableJoined<K, KO> | undefined,
  materialized: Materialized<K, VR> | undefined,
  leftJoin: boolean,
): ForeignKeyJoinResult<K, VR> {
  if (typeof foreignKeyExtractor !== 'function')
    throw new Error('KTable.join: foreignKeyExtractor must be a function');
  if (typeof joiner !== 'function') throw new Error('KTable.join: joiner must be a function');
  if (tableJoined !== undefined && !(tableJoined instanceof TableJoined))
    throw new Error('KTable.join: expected a TableJoined');
  const builder = self.builder;
  // Old values of the other table would spare scans of unchanged values; this table's are needed
  // to unsubscribe a row's previous foreign key.
  other.enableSendingOldValues(true);
  self.enableSendingOldValues(true);

  const f = tableJoined?.fields ?? {};
  const name = (suffix: string, prefix: string) => (f.name ? f.name + suffix : builder.newName(prefix));
  const N = FK_JOIN_NAMES;

  const subscriptionTopic = name('-subscription-registration', N.SUBSCRIPTION_REGISTRATION) + N.TOPIC_SUFFIX;
  builder.addInternalTopic(subscriptionTopic, 'repartition');
  const serdes = new JoinSerdes<K, V, KO, VO>(self, other, `foreign-key join ${subscriptionTopic}`);
  const pkTopic = `${subscriptionTopic}-pk`;
  const fkTopic = `${subscriptionTopic}-fk`;
  const valueHashTopic = `${subscriptionTopic}-vh`;
  const subscriptionSerde = new SubscriptionWrapperSerde<K>(serdes.primaryKey, pkTopic);
  const responseSerde = new SubscriptionResponseWrapperSerde<VO>(serdes.foreignValue);
  const keySchema = new CombinedKeySchema<KO, K>(serdes.foreignKey, fkTopic, serdes.primaryKey, pkTopic);

  const sendName = name('-subscription-registration-processor', N.SUBSCRIPTION_REGISTRATION);
  builder.addProcessor(
    sendName,
    new SubscriptionSendProcessorSupplier<K, V, KO>(
      foreignKeyExtractor,
      serdes,
      fkTopic,
      valueHashTopic,
      leftJoin,
    ),
    self.name,
  );
  const otherPartitioner = f.otherPartitioner;
  const registrationPartitioner: StreamPartitioner<KO, unknown> | undefined = otherPartitioner
    ? { partition: (topic, key, _value, n) => otherPartitioner.partition(topic, key, undefined, n) }
    : undefined;
  builder.addSink(
    {
      name: name('-subscription-registration-sink', N.SINK),
      topic: subscriptionTopic,
      keySerializer: serdes.foreignKey.serializer(),
      valueSerializer: subscriptionSerde.serializer(),
      partitioner: registrationPartitioner,
    },
    sendName,
  );
  const subscriptionSource = name('-subscription-registration-source', N.SOURCE);
  builder.addSource({
    name: subscriptionSource,
    topics: [subscriptionTopic],
    keyDeserializer: serdes.foreignKey.deserializer(),
    valueDeserializer: subscriptionSerde.deserializer(),
  });
  builder.copartitionSources([...new Set([...other.sourceTopics(), subscriptionTopic])]);

  const storeName = name('-subscription-store', N.SUBSCRIPTION_STATE_STORE);
  const store = Stores.keyValueStoreBuilder(
    Stores.persistentKeyValueStore(storeName),
    Serdes.Buffer(),
    new ValueAndTimestampSerde(subscriptionSerde),
  )
    .withLoggingEnabled({})
    .withCachingDisabled();
  builder.addStateStore(new TimestampedKeyValueStoreBuilder(store));

  const receiveName = name('-subscription-receive', N.SUBSCRIPTION_PROCESSOR);
  builder.addProcessor(
    receiveName,
    new SubscriptionReceiveProcessorSupplier<K, KO>(storeName, keySchema, serdes),
    subscriptionSource,
  );
  builder.connectProcessorAndStateStores(receiveName, storeName);

  const foreignGetter = other.valueGetterSupplier();
  const subscriptionJoinName = name('-subscription-join-foreign', N.SUBSCRIPTION_PROCESSOR);
  builder.addProcessor(
    subscriptionJoinName,
    new SubscriptionJoinProcessorSupplier<K, KO, VO>(foreignGetter),
    receiveName,
  );
  builder.connectProcessorAndStateStores(subscriptionJoinName, ...foreignGetter.storeNames());

  const foreignJoinName = name('-foreign-join-subscription', N.SUBSCRIPTION_PROCESSOR);
  builder.addProcessor(
    foreignJoinName,
    new ForeignTableJoinProcessorSupplier<K, KO, VO>(storeName, keySchema, serdes),
    other.name,
  );
  builder.connectProcessorAndStateStores(foreignJoinName, storeName);

  const responseTopic = name('-subscription-response', N.SUBSCRIPTION_RESPONSE) + N.TOPIC_SUFFIX;
  builder.addInternalTopic(responseTopic, 'repartition');
  const partitioner = f.partitioner;
  const responsePartitioner: StreamPartitioner<K, SubscriptionResponseWrapper<VO>> = partitioner
    ? { partition: (topic, key, _value, n) => partitioner.partition(topic, key, undefined, n) }
    : { partition: (_topic, _key, value) => value.primaryPartition };
  builder.addSink(
    {
      name: name('-subscription-response-sink', N.SINK),
      topic: responseTopic,
      keySerializer: serdes.primaryKey.serializer(),
      valueSerializer: responseSerde.serializer(),
      partitioner: responsePartitioner,
    },
    subscriptionJoinName,
    foreignJoinName,
  );
  const responseSource = name('-subscription-response-source', N.SOURCE);
  builder.addSource({
    name: responseSource,
    topics: [responseTopic],
    keyDeserializer: serdes.primaryKey.deserializer(),
    valueDeserializer: responseSerde.deserializer(),
  });
  builder.copartitionSources([...new Set([...self.sourceTopics(), responseTopic])]);

  const primaryGetter = self.valueGetterSupplier();
  const resolverName = name('-subscription-response-resolver', N.SUBSCRIPTION_RESPONSE_RESOLVER_PROCESSOR);
  builder.addProcessor(
    resolverName,
    new ResponseJoinProcessorSupplier<K, V, VO, VR>(
      primaryGetter,
      serdes,
      valueHashTopic,
      joiner as (value: V | null, foreignValue: VO | null) => VR,
      leftJoin,
    ),
    responseSource,
  );
  builder.connectProcessorAndStateStores(resolverName, ...primaryGetter.storeNames());

  const resultName = name('-result', N.OUTPUT);
  const mi = new MaterializedInternal<K, VR>(materialized, builder, N.OUTPUT).withDefaults(
    serdes.primaryKey,
    undefined,
  );
  const source = new KTableSource<K, VR>(mi.storeName, mi.queryableStoreName);
  const resultSerdes = mi.deferredSerdes();
  source.serdes = resultSerdes;
  builder.addProcessor(resultName, source, resolverName);
  const addStore = () =>
    builder.addStateStore(mi.keyValueStoreBuilder(resultSerdes.key, resultSerdes.value), resultName);
  if (mi.queryableStoreName !== undefined) addStore();
  else source.materializer = addStore;
  return {
    name: resultName,
    source,
    keySerde: mi.fields.keySerde ?? self.keySerde,
    valueSerde: mi.valueSerde,
    queryableName: mi.queryableStoreName,
  };
}
