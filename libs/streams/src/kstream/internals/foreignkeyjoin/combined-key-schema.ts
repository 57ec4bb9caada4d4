import { Serde } from '../../../serialization/serde';

/** A subscription's key in the subscription store: foreign key, then primary key (Kafka Streams' `CombinedKey`). */
export interface CombinedKey<KO, K> {
  readonly foreignKey: KO | null;
  readonly primaryKey: K;
}

/**
 * Byte layout of the subscription store's keys (Kafka Streams' `CombinedKeySchema`): the foreign
 * key's length (int32), its bytes, then the primary key's bytes, so that every subscriber of one
 * foreign key shares the prefix `[length][foreign key]` and one prefix scan finds them.
 */
export class CombinedKeySchema<KO, K> {
  constructor(
    private readonly foreignKeySerde: Serde<KO>,
    private readonly foreignKeyTopic: string,
    private readonly primaryKeySerde: Serde<K>,
    private readonly primaryKeyTopic: string,
  ) {}

  toBytes(foreignKey: KO, primaryKey: K): Buffer {
    const pk =
      this.primaryKeySerde.serializer().serialize(this.primaryKeyTopic, primaryKey) ?? Buffer.alloc(0);
    return Buffer.concat([this.prefixBytes(foreignKey), pk]);
  }

  prefixBytes(foreignKey: KO): Buffer {
    const fk =
      this.foreignKeySerde.serializer().serialize(this.foreignKeyTopic, foreignKey) ?? Buffer.alloc(0);
    const out = Buffer.allocUnsafe(4 + fk.length);
    out.writeInt32BE(fk.length, 0);
    fk.copy(out, 4);
    return out;
  }

  fromBytes(data: Buffer): CombinedKey<KO, K> {
    const n = data.readInt32BE(0);
    return {
      foreignKey: this.foreignKeySerde
        .deserializer()
        .deserialize(this.foreignKeyTopic, data.subarray(4, 4 + n)),
      primaryKey: this.primaryKeySerde
        .deserializer()
        .deserialize(this.primaryKeyTopic, data.subarray(4 + n)) as K,
    };
  }
}
