import { InternalTopologyBuilder } from '../../processor/internals/internal-topology-builder';
import { Serde } from '../../serialization/serde';
import { Aggregator, Initializer, Reducer } from '../aggregation';
import { KGroupedTable } from '../kgrouped-table';
import { KTable } from '../ktable';
import { Materialized } from '../materialized';
import { Named } from '../named';
import { ChangeSerde } from './change';
import { DeferredSerde } from './deferred-serde';
import { NAMES } from './kstream-impl';
import { KTableAggregate } from './ktable-aggregate';
import { KTABLE_NAMES, KTableImpl } from './ktable-impl';
import { LONG_AS_NUMBER } from './long-serde';
import { MaterializedInternal } from './materialized-internal';
import { REPARTITION_TOPIC_SUFFIX } from './repartition';

/**
 * Kafka Streams' `KGroupedTableImpl`: every aggregation reads the re-grouped changes from
 * `<applicationId>-<Grouped name or store name>-repartition` (a sink and a source, no filter).
 */
export class KGroupedTableImpl<K, V> implements KGroupedTable<K, V> {
  constructor(
    readonly builder: InternalTopologyBuilder,
    /** The `KTABLE-SELECT` node. */
    readonly name: string,
    readonly repartitionName: string | undefined,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: DeferredSerde<V>,
  ) {}

  count(materialized?: Materialized<K, number>, named?: Named): KTable<K, number> {
    const mi = new MaterializedInternal(materialized, this.builder, KTABLE_NAMES.AGGREGATE).withDefaults(
      this.keySerde,
      LONG_AS_NUMBER,
    );
    const serdes = { ...mi.deferredSerdes(), input: this.valueSerde };
    const supplier = KTableAggregate.aggregate<K, V, number>(
      mi.storeName,
      () => 0,
      (_k, _v, n) => n + 1,
      (_k, _v, n) => n - 1,
      serdes,
    );
    return this.doAggregate(supplier, named, KTABLE_NAMES.AGGREGATE, mi, serdes);
  }

  reduce(
    adder: Reducer<V>,
    subtractor: Reducer<V>,
    materialized?: Materialized<K, V>,
    named?: Named,
  ): KTable<K, V> {
    if (typeof adder !== 'function' || typeof subtractor !== 'function')
      throw new Error('KGroupedTable.reduce: adder and subtractor must be functions');
    const mi = new MaterializedInternal(materialized, this.builder, KTABLE_NAMES.AGGREGATE).withDefaults(
      this.keySerde,
      this.valueSerde,
    );
    const serdes = { ...mi.deferredSerdes(), input: this.valueSerde };
    const supplier = KTableAggregate.reduce<K, V>(mi.storeName, adder, subtractor, serdes);
    return this.doAggregate(supplier, named, KTABLE_NAMES.REDUCE, mi, serdes);
  }

  aggregate<VA>(
    initializer: Initializer<VA>,
    adder: Aggregator<K, V, VA>,
    subtractor: Aggregator<K, V, VA>,
    materialized?: Materialized<K, VA>,
    named?: Named,
  ): KTable<K, VA> {
    if (typeof initializer !== 'function' || typeof adder !== 'function' || typeof subtractor !== 'function')
      throw new Error('KGroupedTable.aggregate: initializer, adder and subtractor must be functions');
    const mi = new MaterializedInternal(materialized, this.builder, KTABLE_NAMES.AGGREGATE).withDefaults(
      this.keySerde,
      undefined,
    );
    const serdes = { ...mi.deferredSerdes(), input: this.valueSerde };
    const supplier = KTableAggregate.aggregate<K, V, VA>(
      mi.storeName,
      initializer,
      adder,
      subtractor,
      serdes,
    );
    return this.doAggregate(supplier, named, KTABLE_NAMES.AGGREGATE, mi, serdes);
  }

  private doAggregate<VA>(
    supplier: KTableAggregate<K, V, VA>,
    named: Named | undefined,
    prefix: string,
    mi: MaterializedInternal<K, VA>,
    serdes: ReturnType<MaterializedInternal<K, VA>['deferredSerdes']>,
  ): KTable<K, VA> {
    const b = this.builder;
    const sink = named ? `${named.name}-sink` : b.newName(NAMES.SINK);
    const source = named ? `${named.name}-source` : b.newName(NAMES.SOURCE);
    const name = named?.name ?? b.newName(prefix);
    const topic = `${this.repartitionName ?? mi.storeName}${REPARTITION_TOPIC_SUFFIX}`;
    const changeSerde = new ChangeSerde<V>(this.valueSerde);
    b.addInternalTopic(topic, 'repartition');
    b.addSink(
      {
        name: sink,
        topic,
        keySerializer: this.keySerde?.serializer(),
        valueSerializer: changeSerde.serializer(),
      },
      this.name,
    );
    b.addSource({
      name: source,
      topics: [topic],
      keyDeserializer: this.keySerde?.deserializer(),
      valueDeserializer: changeSerde.deserializer(),
    });
    b.addProcessor(name, supplier, source);
    b.addStateStore(mi.keyValueStoreBuilder(serdes.key, serdes.value), name);
    return new KTableImpl<K, VA>(b, name, mi.keySerde, mi.valueSerde, supplier, mi.queryableStoreName);
  }
}
