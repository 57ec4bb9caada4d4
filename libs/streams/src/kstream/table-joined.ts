import type { StreamPartitioner } from '../processor/stream-partitioner';

/** @internal The settings a {@link TableJoined} holds. */
export interface TableJoinedFields<K, KO> {
  readonly name?: string;
  readonly partitioner?: StreamPartitioner<K, void>;
  readonly otherPartitioner?: StreamPartitioner<KO, void>;
}

const LEGAL_NAME = /^[a-zA-Z0-9._-]+$/;

/**
 * Options of a foreign-key join (Kafka Streams' `TableJoined`): a name for its processors, internal
 * topics and subscription store, and the partitioners of this table's and the other table's topics
 * when they are not the default (murmur2 of the key), so that subscriptions and responses reach the
 * partitions that hold their keys.
 *
 * ```ts
 * orders.join(customers, (o) => o.customerId, joiner, TableJoined.as('orders-customers'))
 * ```
 */
export class TableJoined<K, KO> {
  private constructor(readonly fields: TableJoinedFields<K, KO>) {}

  /** Names the join: `<name>-subscription-registration-topic`, `<name>-subscription-store`, ... */
  static as<K, KO>(name: string): TableJoined<K, KO> {
    return new TableJoined<K, KO>({}).withName(name);
  }

  /** The partitioners of this table's topic and of the other table's topic (`undefined`: default). */
  static with<K, KO>(
    partitioner?: StreamPartitioner<K, void>,
    otherPartitioner?: StreamPartitioner<KO, void>,
  ): TableJoined<K, KO> {
    return new TableJoined<K, KO>({ partitioner, otherPartitioner });
  }

  withName(name: string): TableJoined<K, KO> {
    if (!name || !LEGAL_NAME.test(name))
      throw new Error(`TableJoined: "${name}" is not a legal name (use letters, digits, ".", "_", "-")`);
    return new TableJoined<K, KO>({ ...this.fields, name });
  }

  withPartitioner(partitioner: StreamPartitioner<K, void>): TableJoined<K, KO> {
    return new TableJoined<K, KO>({ ...this.fields, partitioner });
  }

  withOtherPartitioner(otherPartitioner: StreamPartitioner<KO, void>): TableJoined<K, KO> {
    return new TableJoined<K, KO>({ ...this.fields, otherPartitioner });
  }
}
