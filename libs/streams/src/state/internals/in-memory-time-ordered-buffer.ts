import BTree from 'sorted-btree';
import type { ChangelogRecord, StateStore, StateStoreContext } from '../../processor/state-store';
import { InvalidStateStoreError } from '../errors';
import { compareKeyStrings, keyString } from './bytes';
import { changelogTopicName } from './forwarding-context';

/** One buffered key: the latest update's old and new value, the record timestamp, the time it is due. */
export interface BufferedChange {
  readonly key: Buffer;
  /** The buffer time that orders evictions (window end, or the first buffered update's timestamp). */
  readonly time: number;
  readonly oldValue: Buffer | null;
  readonly newValue: Buffer | null;
  /** Timestamp of the latest buffered update (the emitted record's timestamp). */
  readonly timestamp: number;
}

type SortKey = readonly [number, string];
const compare = (a: SortKey, b: SortKey) => a[0] - b[0] || compareKeyStrings(a[1], b[1]);
const NULL_LENGTH = -1;

function sizeOf(c: BufferedChange): number {
  return c.key.length + (c.oldValue?.length ?? 0) + (c.newValue?.length ?? 0) + 16;
}

/**
 * The suppression buffer (Kafka Streams' `InMemoryTimeOrderedKeyValueChangeBuffer`): per key the
 * latest change, ordered by buffer time then key bytes; a key updated again keeps its place. Every
 * put and eviction is written to `<applicationId>-<name>-changelog` (when logging), from which the
 * buffer is rebuilt on restart. Changelog value: time, timestamp (int64 BE each), then the old and
 * new values, each as an int32 length (-1 = null) and bytes.
 */
export class InMemoryTimeOrderedBuffer implements StateStore {
  readonly persistent = false;
  private context: StateStoreContext | undefined;
  private readonly index = new Map<string, BufferedChange>();
  private readonly sorted = new BTree<SortKey, BufferedChange>(undefined, compare);
  private bytes = 0;
  private open = false;

  constructor(
    readonly name: string,
    private readonly loggingEnabled: boolean,
  ) {}

  init(context: StateStoreContext, root: StateStore): void {
    this.context = context;
    context.register(
      root,
      (batch) => this.restore(batch),
      this.loggingEnabled
        ? { changelogTopic: changelogTopicName(context.applicationId, this.name) }
        : undefined,
    );
    this.open = true;
  }

  isOpen(): boolean {
    return this.open;
  }
  flush(): void {}
  close(): void {
    this.open = false;
    this.index.clear();
    this.sorted.clear();
    this.bytes = 0;
  }

  get numRecords(): number {
    return this.index.size;
  }
  /** Bytes of keys and values held. */
  get bufferSize(): number {
    return this.bytes;
  }
  /** Smallest buffer time held (`Infinity` when empty). */
  get minTimestamp(): number {
    return this.sorted.minKey()?.[0] ?? Infinity;
  }

  /** Buffers `key`'s latest change; a key already buffered keeps its time (non-resetting). */
  put(time: number, key: Buffer, oldValue: Buffer | null, newValue: Buffer | null, timestamp: number): void {
    const k = keyString(key);
    const previous = this.index.get(k);
    const change: BufferedChange = { key, time: previous?.time ?? time, oldValue, newValue, timestamp };
    this.store(k, change, previous);
    this.log(change);
  }

  /** Removes and passes to `emit` the oldest buffered changes while `predicate()` holds. */
  evictWhile(predicate: () => boolean, emit: (change: BufferedChange) => void): void {
    while (this.index.size > 0 && predicate()) {
      const [sortKey, change] = this.sorted.entries().next().value as [SortKey, BufferedChange];
      this.sorted.delete(sortKey);
      this.index.delete(sortKey[1]);
      this.bytes -= sizeOf(change);
      if (this.loggingEnabled) this.requireContext().logChange(this.name, change.key, null, change.timestamp);
      emit(change);
    }
  }

  private store(k: string, change: BufferedChange, previous: BufferedChange | undefined): void {
    if (previous) {
      this.sorted.delete([previous.time, k]);
      this.bytes -= sizeOf(previous);
    }
    this.index.set(k, change);
    this.sorted.set([change.time, k], change);
    this.bytes += sizeOf(change);
  }

  private log(change: BufferedChange): void {
    if (!this.loggingEnabled) return;
    const o = change.oldValue;
    const n = change.newValue;
    const out = Buffer.allocUnsafe(24 + (o?.length ?? 0) + (n?.length ?? 0));
    out.writeBigInt64BE(BigInt(change.time), 0);
    out.writeBigInt64BE(BigInt(change.timestamp), 8);
    let at = 16;
    for (const v of [o, n]) {
      out.writeInt32BE(v === null ? NULL_LENGTH : v.length, at);
      at += 4;
      if (v !== null) at += v.copy(out, at);
    }
    this.requireContext().logChange(this.name, change.key, out, change.timestamp);
  }

  private restore(batch: readonly ChangelogRecord[]): void {
    for (const r of batch) {
      const k = keyString(r.key);
      const previous = this.index.get(k);
      if (r.value === null) {
        if (previous) {
          this.sorted.delete([previous.time, k]);
          this.index.delete(k);
          this.bytes -= sizeOf(previous);
        }
        continue;
      }
      const v = r.value;
      const values: Array<Buffer | null> = [];
      let at = 16;
      for (let i = 0; i < 2; i++) {
        const len = v.readInt32BE(at);
        at += 4;
        values.push(len === NULL_LENGTH ? null : Buffer.from(v.subarray(at, at + len)));
        if (len !== NULL_LENGTH) at += len;
      }
      const change: BufferedChange = {
        key: Buffer.from(r.key),
        time: Number(v.readBigInt64BE(0)),
        timestamp: Number(v.readBigInt64BE(8)),
        oldValue: values[0],
        newValue: values[1],
      };
      this.store(k, change, previous);
    }
  }

  private requireContext(): StateStoreContext {
    const c = this.context;
    if (c === undefined) throw new InvalidStateStoreError(`store ${this.name} is not initialized`);
    return c;
  }
}
