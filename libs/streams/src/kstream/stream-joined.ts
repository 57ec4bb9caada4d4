import { Serde } from '../serialization/serde';
import type { WindowBytesStoreSupplier } from '../state/store-supplier';

interface StreamJoinedFields<K, V1, V2> {
  keySerde?: Serde<K>;
  valueSerde?: Serde<V1>;
  otherValueSerde?: Serde<V2>;
  name?: string;
  storeName?: string;
  thisStoreSupplier?: WindowBytesStoreSupplier;
  otherStoreSupplier?: WindowBytesStoreSupplier;
  loggingEnabled: boolean;
  topicConfig: Readonly<Record<string, string>>;
}

/**
 * How a stream-stream join builds its stores and names its nodes (Kafka Streams' `StreamJoined`):
 * the serdes of the key and of both sides' values, the processor name (also the base of the
 * repartition topics `<name>-left-repartition` / `<name>-right-repartition`), the base store name,
 * custom window store suppliers and the changelog settings.
 */
export class StreamJoined<K, V1, V2> {
  private constructor(readonly fields: Readonly<StreamJoinedFields<K, V1, V2>>) {}

  private static create<K, V1, V2>(f: Partial<StreamJoinedFields<K, V1, V2>>): StreamJoined<K, V1, V2> {
    return new StreamJoined<K, V1, V2>({ loggingEnabled: true, topicConfig: {}, ...f });
  }

  static with<K, V1, V2>(
    keySerde: Serde<K>,
    valueSerde: Serde<V1>,
    otherValueSerde: Serde<V2>,
  ): StreamJoined<K, V1, V2> {
    return StreamJoined.create({ keySerde, valueSerde, otherValueSerde });
  }
  /** Names the join's stores `<storeName>-this-join-store`, `<storeName>-other-join-store`, ... */
  static as<K, V1, V2>(storeName: string): StreamJoined<K, V1, V2> {
    return StreamJoined.create<K, V1, V2>({ storeName: checkName(storeName) });
  }
  /** Uses the given window store suppliers (they must retain duplicates and match the windows). */
  static withStoreSuppliers<K, V1, V2>(
    thisStoreSupplier: WindowBytesStoreSupplier,
    otherStoreSupplier: WindowBytesStoreSupplier,
  ): StreamJoined<K, V1, V2> {
    return StreamJoined.create<K, V1, V2>({ thisStoreSupplier, otherStoreSupplier });
  }

  withName(name: string): StreamJoined<K, V1, V2> {
    return new StreamJoined({ ...this.fields, name: checkName(name) });
  }
  withStoreName(storeName: string): StreamJoined<K, V1, V2> {
    return new StreamJoined({ ...this.fields, storeName: checkName(storeName) });
  }
  withKeySerde(keySerde: Serde<K>): StreamJoined<K, V1, V2> {
    return new StreamJoined({ ...this.fields, keySerde });
  }
  withValueSerde(valueSerde: Serde<V1>): StreamJoined<K, V1, V2> {
    return new StreamJoined({ ...this.fields, valueSerde });
  }
  withOtherValueSerde(otherValueSerde: Serde<V2>): StreamJoined<K, V1, V2> {
    return new StreamJoined({ ...this.fields, otherValueSerde });
  }
  withThisStoreSupplier(thisStoreSupplier: WindowBytesStoreSupplier): StreamJoined<K, V1, V2> {
    return new StreamJoined({ ...this.fields, thisStoreSupplier });
  }
  withOtherStoreSupplier(otherStoreSupplier: WindowBytesStoreSupplier): StreamJoined<K, V1, V2> {
    return new StreamJoined({ ...this.fields, otherStoreSupplier });
  }
  /** Changelogs on (the default), with extra topic configs. */
  withLoggingEnabled(config: Record<string, string> = {}): StreamJoined<K, V1, V2> {
    return new StreamJoined({ ...this.fields, loggingEnabled: true, topicConfig: { ...config } });
  }
  /** No changelogs: the join's stores are lost with the instance. */
  withLoggingDisabled(): StreamJoined<K, V1, V2> {
    return new StreamJoined({ ...this.fields, loggingEnabled: false, topicConfig: {} });
  }
}

function checkName(name: string): string {
  if (!name || !/^[a-zA-Z0-9._-]+$/.test(name))
    throw new Error(`StreamJoined: "${name}" is not a legal name (use letters, digits, ".", "_", "-")`);
  return name;
}
