import { InternalTopologyBuilder } from '../../processor/internals/internal-topology-builder';
import { Serde } from '../../serialization/serde';
import { Materialized } from '../materialized';
import { Named } from '../named';
import { KTableKTableAbstractJoin, JoinSideTable, TableJoiner } from './ktable-ktable-abstract-join';
import { KTableKTableInnerJoin } from './ktable-ktable-inner-join';
import { KTableKTableJoinMerger } from './ktable-ktable-join-merger';
import { KTableKTableLeftJoin } from './ktable-ktable-left-join';
import { KTableKTableOuterJoin } from './ktable-ktable-outer-join';
import { KTableKTableRightJoin } from './ktable-ktable-right-join';
import { MaterializedInternal } from './materialized-internal';

/** Node-name prefixes of a table-table join, as Kafka Streams generates them. */
export const TABLE_JOIN_NAMES = {
  JOINTHIS: 'KTABLE-JOINTHIS-',
  JOINOTHER: 'KTABLE-JOINOTHER-',
  MERGE: 'KTABLE-MERGE-',
} as const;

/** What a table-table join needs of each table (a `KTableImpl`). */
export interface JoinableTable<K, V> extends JoinSideTable<K, V> {
  readonly builder: InternalTopologyBuilder;
  readonly name: string;
  readonly keySerde: Serde<K> | undefined;
}

/** The join's table node, for the caller to wrap in a `KTableImpl`. */
export interface TableJoinResult<K, VR> {
  readonly name: string;
  readonly merger: KTableKTableJoinMerger<K, VR>;
  readonly keySerde: Serde<K> | undefined;
  readonly valueSerde: Serde<VR> | undefined;
  readonly storeName: string | undefined;
}

/**
 * Builds a table-table join (Kafka Streams' `KTableImpl.doJoin`): `KTABLE-JOINTHIS-<n>` after this
 * table (connected to the other table's stores), `KTABLE-JOINOTHER-<n>` after the other (connected
 * to this table's stores) and `KTABLE-MERGE-<n>` after both, which is the result; `Named` names
 * them `<name>`, `<name>-join-this`, `<name>-join-other`. With a `Materialized` the merge node
 * keeps the result in a store (`KTABLE-MERGE-STATE-STORE-<n>` when unnamed). A left join makes
 * this table send old values, an outer join both (so a delete of an unmatched row propagates).
 */
export function joinTables<K, V, VO, VR>(
  self: JoinableTable<K, V>,
  other: JoinableTable<K, VO>,
  joiner: TableJoiner<V, VO, VR>,
  named: Named | undefined,
  materialized: Materialized<K, VR> | undefined,
  leftOuter: boolean,
  rightOuter: boolean,
): TableJoinResult<K, VR> {
  const builder = self.builder;
  const mi =
    materialized === undefined
      ? undefined
      : new MaterializedInternal<K, VR>(materialized, builder, TABLE_JOIN_NAMES.MERGE).withDefaults(
          self.keySerde,
          undefined,
        );
  const mergeName = named?.name ?? builder.newName(TABLE_JOIN_NAMES.MERGE);
  if (leftOuter) self.enableSendingOldValues(true);
  if (rightOuter) other.enableSendingOldValues(true);

  const reversed: TableJoiner<VO, V, VR> = (vo, v) => joiner(v, vo);
  let joinThis: KTableKTableAbstractJoin<K, V, VO, VR>;
  let joinOther: KTableKTableAbstractJoin<K, VO, V, VR>;
  if (!leftOuter) {
    joinThis = new KTableKTableInnerJoin(self, other, joiner);
    joinOther = new KTableKTableInnerJoin(other, self, reversed);
  } else if (!rightOuter) {
    joinThis = new KTableKTableLeftJoin(self, other, joiner);
    joinOther = new KTableKTableRightJoin(other, self, reversed);
  } else {
    joinThis = new KTableKTableOuterJoin(self, other, joiner);
    joinOther = new KTableKTableOuterJoin(other, self, reversed);
  }
  const joinThisName = named ? `${named.name}-join-this` : builder.newName(TABLE_JOIN_NAMES.JOINTHIS);
  const joinOtherName = named ? `${named.name}-join-other` : builder.newName(TABLE_JOIN_NAMES.JOINOTHER);

  let materialization;
  if (mi) {
    const serdes = mi.deferredSerdes();
    materialization = { storeName: mi.storeName, keySerde: serdes.key, valueSerde: serdes.value };
  }
  const merger = new KTableKTableJoinMerger<K, VR>(joinThis, joinOther, materialization);

  builder.addProcessor(joinThisName, joinThis, self.name);
  builder.addProcessor(joinOtherName, joinOther, other.name);
  builder.addProcessor(mergeName, merger, joinThisName, joinOtherName);
  builder.connectProcessorAndStateStores(joinThisName, ...other.valueGetterSupplier().storeNames());
  builder.connectProcessorAndStateStores(joinOtherName, ...self.valueGetterSupplier().storeNames());
  if (mi && materialization)
    builder.addStateStore(
      mi.keyValueStoreBuilder(materialization.keySerde, materialization.valueSerde),
      mergeName,
    );
  return {
    name: mergeName,
    merger,
    keySerde: mi?.keySerde ?? self.keySerde,
    valueSerde: mi?.valueSerde,
    storeName: mi?.storeName,
  };
}
