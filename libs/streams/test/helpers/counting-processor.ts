import type { KeyValueStore, Processor, ProcessorContext, Record } from '../../src';

/**
 * Counts the records of each key in the key-value store `storeName` and forwards each record with
 * its key's running count as the value: the stateful processor the runtime tests and the state
 * benchmark share.
 */
export class CountingProcessor implements Processor<string, string, string, string> {
  private ctx!: ProcessorContext<string, string>;
  private store!: KeyValueStore<string, number>;

  constructor(private readonly storeName: string) {}

  init(ctx: ProcessorContext<string, string>): void {
    this.ctx = ctx;
    this.store = ctx.getStateStore(this.storeName);
  }

  process(r: Record<string, string>): void {
    const n = (this.store.get(r.key) ?? 0) + 1;
    this.store.put(r.key, n);
    this.ctx.forward(r.withValue(String(n)));
  }
}
