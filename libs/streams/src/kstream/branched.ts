import type { KStream } from './kstream';

/**
 * Names and handles one branch of `KStream.split()` (Kafka Streams' `Branched`): either keeps the
 * branch stream in the result map, or passes it to a function (whose result, if a stream, is kept)
 * or a consumer.
 */
export class Branched<K, V> {
  private constructor(
    readonly name: string | undefined,
    readonly fn: ((stream: KStream<K, V>) => KStream<K, V> | void) | undefined,
  ) {}

  static as<K, V>(name: string): Branched<K, V> {
    return new Branched<K, V>(name, undefined);
  }
  static withFunction<K, V>(fn: (stream: KStream<K, V>) => KStream<K, V>, name?: string): Branched<K, V> {
    return new Branched<K, V>(name, fn);
  }
  static withConsumer<K, V>(fn: (stream: KStream<K, V>) => void, name?: string): Branched<K, V> {
    return new Branched<K, V>(name, fn);
  }
}
