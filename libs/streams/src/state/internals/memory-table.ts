import BTree from 'sorted-btree';
import type { KeyValue, KeyValueIterator } from '../key-value';
import { compareKeyStrings, keyBytes, keyString } from './bytes';
import type { BytesTable, BytesWrite } from './bytes-table';
import { StoreIterator } from './store-iterator';

/**
 * An in-memory {@link BytesTable}: a `Map` of latin1 key strings to value Buffers for point reads and
 * writes, plus a B+ tree (sorted-btree) of the keys for ordered scans, touched only when a key is
 * added or removed (an update of an existing key is one `Map.set`). As Kafka Streams'
 * `InMemoryKeyValueStore`, an iterator walks a snapshot of the keys (an O(1) copy-on-write clone of
 * the tree) and reads values live, skipping keys deleted since.
 */
export class MemoryTable implements BytesTable {
  private values = new Map<string, Buffer>();
  private keys = new BTree<string, undefined>(undefined, compareKeyStrings);

  get(key: Buffer): Buffer | undefined {
    return this.values.get(keyString(key));
  }

  put(key: Buffer, value: Buffer): void {
    this.set(keyString(key), value);
  }

  delete(key: Buffer): void {
    const k = keyString(key);
    if (this.values.delete(k)) this.keys.delete(k);
  }

  range(
    from: Buffer | undefined,
    to: Buffer | undefined,
    reverse: boolean,
  ): KeyValueIterator<Buffer, Buffer> {
    const low = from === undefined ? undefined : keyString(from);
    const high = to === undefined ? undefined : keyString(to);
    if (low !== undefined && high !== undefined && low > high)
      return new StoreIterator<Buffer, Buffer>([][Symbol.iterator]());
    const snapshot = this.keys.clone();
    const source = reverse ? reversedKeys(snapshot, high) : snapshot.keys(low);
    const values = this.values;
    const bounded: Iterator<KeyValue<Buffer, Buffer>> = {
      next: () => {
        for (;;) {
          const r = source.next();
          if (r.done) return { done: true, value: undefined };
          const k = r.value;
          if (reverse ? low !== undefined && k < low : high !== undefined && k > high)
            return { done: true, value: undefined };
          const v = values.get(k);
          if (v !== undefined) return { done: false, value: { key: keyBytes(k), value: v } };
        }
      },
    };
    return new StoreIterator(bounded);
  }

  forEachInRange(
    from: Buffer | undefined,
    to: Buffer | undefined,
    reverse: boolean,
    visit: (key: Buffer, value: Buffer) => void,
  ): void {
    const low = from === undefined ? undefined : keyString(from);
    const high = to === undefined ? undefined : keyString(to);
    if (low !== undefined && high !== undefined && low > high) return;
    const keys: string[] = [];
    if (low !== undefined && high !== undefined)
      this.keys.forRange(low, high, true, (k) => void keys.push(k));
    else
      for (const k of this.keys.keys(low)) {
        if (high !== undefined && k > high) break;
        keys.push(k);
      }
    if (reverse) keys.reverse();
    const values = this.values;
    for (const k of keys) visit(keyBytes(k), values.get(k) as Buffer);
  }

  count(): number {
    return this.values.size;
  }

  writeBatch(writes: readonly BytesWrite[]): void {
    for (const w of writes) {
      const k = keyString(w.key);
      if (w.value === null) {
        if (this.values.delete(k)) this.keys.delete(k);
      } else {
        this.set(k, Buffer.from(w.value));
      }
    }
  }

  flush(): void {}

  close(): void {}

  destroy(): void {
    this.values = new Map();
    this.keys = new BTree<string, undefined>(undefined, compareKeyStrings);
  }

  private set(k: string, value: Buffer): void {
    const values = this.values;
    const size = values.size;
    values.set(k, value);
    if (values.size !== size) this.keys.set(k, undefined);
  }
}

function* reversedKeys(tree: BTree<string, undefined>, highest: string | undefined): Generator<string> {
  for (const [k] of tree.entriesReversed(highest)) yield k;
}
