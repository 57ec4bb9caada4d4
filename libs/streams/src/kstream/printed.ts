import * as fs from 'node:fs';

/** Where `KStream.print` writes. */
export type PrintSink = (line: string) => void;

/**
 * How `KStream.print` prints records: `[label]: key, value` lines to stdout or a file
 * (Kafka Streams' `Printed`).
 */
export class Printed<K, V> {
  private constructor(
    readonly sink: PrintSink,
    readonly label: string | undefined,
    readonly mapper: ((key: K, value: V) => string) | undefined,
    readonly name: string | undefined,
  ) {}

  /** Prints to `process.stdout`. */
  static toSysOut<K, V>(): Printed<K, V> {
    return new Printed<K, V>((line) => process.stdout.write(line + '\n'), undefined, undefined, undefined);
  }
  /** Appends to a file. */
  static toFile<K, V>(filePath: string): Printed<K, V> {
    if (!filePath) throw new Error('Printed.toFile: a file path is required');
    return new Printed<K, V>(
      (line) => fs.appendFileSync(filePath, line + '\n'),
      undefined,
      undefined,
      undefined,
    );
  }
  /** Prints through any function (handy in tests). */
  static to<K, V>(sink: PrintSink): Printed<K, V> {
    return new Printed<K, V>(sink, undefined, undefined, undefined);
  }

  withLabel(label: string): Printed<K, V> {
    return new Printed(this.sink, label, this.mapper, this.name);
  }
  withKeyValueMapper(mapper: (key: K, value: V) => string): Printed<K, V> {
    return new Printed(this.sink, this.label, mapper, this.name);
  }
  withName(name: string): Printed<K, V> {
    return new Printed(this.sink, this.label, this.mapper, name);
  }
}
