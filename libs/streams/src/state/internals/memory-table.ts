import BTree from 'sorted-btree';
import type { KeyValue, KeyValueIterator } from '../key-value';
import { compareKeyStrings, keyBytes, keyString } from './bytes';
import type { BytesTable, BytesWrite } from './bytes-table';
import { StoreIterator } from './store-iterator';
import { ValueSlab } from './value-slab';

/**
 * An in-memory {@link BytesTable}: a `Map` of latin1 key strings to value Buffers for point reads and
 * writes, plus a B+ tree (sorted-btree) of the keys for ordered scans, built from the map's keys
 * at the first scan (a store read only by key, as a windowed aggregation's, never pays for key
 * order, nor for a list of its keys); after that a key added goes to a list of keys not yet in the
 * tree, which the next scan inserts (the list drops removed keys when it outgrows the table);
 * a removed key leaves the tree at once (no search while nothing was ever inserted into it, as a
 * session store's merged sessions); an update of an existing key is one `Map.set`. As Kafka Streams'
 * `InMemoryKeyValueStore`, an iterator walks a snapshot of the keys (an O(1) copy-on-write clone of
 * the tree) and reads values live, skipping keys deleted since.
 *
 * A table made with `packValues` (a window or session segment: many small values) keeps its small
 * values in a {@link ValueSlab}, the map holding each one's handle (a small integer) instead of a
 * Buffer: a read hands out a view of the value's bytes, which never change; the values are copied
 * in, so a caller's Buffer is not kept.
 */
export class MemoryTable implements BytesTable {
  /** Each key's value: a Buffer, or a handle of a value in {@link slab}. */
  private values = new Map<string, Buffer | number>();
  private slab: ValueSlab | undefined;
  private keys = new BTree<string, undefined>(undefined, compareKeyStrings);
  /**
   * Keys added since the tree was last brought up to date (some maybe removed again since: the
   * tree takes only those still in `values`).
   */
  private unsorted: string[] = [];
  /** True once a scan built the key tree (until then it is empty and no key waits in {@link unsorted}). */
  private scanned = false;

  /** @param packValues keep small values in a {@link ValueSlab} (see the class comment) */
  constructor(private readonly packValues = false) {
    if (packValues) this.slab = new ValueSlab();
  }

  get(key: Buffer): Buffer | undefined {
    const v = this.values.get(keyString(key));
    return typeof v === 'number' ? this.slab!.view(v) : v;
  }

  put(key: Buffer, value: Buffer): void {
    this.set(keyString(key), value, false);
  }

  delete(key: Buffer): void {
    this.remove(keyString(key));
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
    const snapshot = this.sortedKeys().clone();
    const source = reverse ? reversedKeys(snapshot, high) : snapshot.keys(low);
    const values = this.values;
    // the map and slab of this moment: a table destroyed meanwhile (an expired segment) reads on
    const slab = this.slab;
    const bounded: Iterator<KeyValue<Buffer, Buffer>> = {
      next: () => {
        for (;;) {
          const r = source.next();
          if (r.done) return { done: true, value: undefined };
          const k = r.value;
          if (reverse ? low !== undefined && k < low : high !== undefined && k > high)
            return { done: true, value: undefined };
          const v = values.get(k);
          if (v !== undefined)
            return {
              done: false,
              value: { key: keyBytes(k), value: typeof v === 'number' ? slab!.view(v) : v },
            };
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
    const tree = this.sortedKeys();
    if (low !== undefined && high !== undefined) tree.forRange(low, high, true, (k) => void keys.push(k));
    else
      for (const k of tree.keys(low)) {
        if (high !== undefined && k > high) break;
        keys.push(k);
      }
    if (reverse) keys.reverse();
    const values = this.values;
    for (const k of keys) visit(keyBytes(k), this.valueOf(values.get(k)!));
  }

  count(): number {
    return this.values.size;
  }

  writeBatch(writes: readonly BytesWrite[]): void {
    for (const w of writes) {
      const k = keyString(w.key);
      if (w.value === null) this.remove(k);
      else this.set(k, w.value, true);
    }
  }

  flush(): void {}

  close(): void {}

  destroy(): void {
    this.values = new Map();
    if (this.packValues) this.slab = new ValueSlab();
    this.keys = new BTree<string, undefined>(undefined, compareKeyStrings);
    this.unsorted = [];
    this.scanned = false;
  }

  /** The value a map entry holds (a view of it for a handle). */
  private valueOf(v: Buffer | number): Buffer {
    return typeof v === 'number' ? this.slab!.view(v) : v;
  }

  /** Sets a key's value: into the slab if it takes it; else the Buffer itself, or a copy if `copy`. */
  private set(k: string, value: Buffer, copy: boolean): void {
    const values = this.values;
    const size = values.size;
    const slab = this.slab;
    if (slab === undefined) values.set(k, copy ? Buffer.from(value) : value);
    else {
      const packed = slab.fits(value);
      // a compaction moves the handles: before the key's own is read
      if (packed && slab.mustCompactFor(value.length)) this.compactSlab(slab);
      const old = values.get(k);
      if (typeof old === 'number') slab.free(old);
      values.set(k, packed ? slab.add(value) : copy ? Buffer.from(value) : value);
    }
    if (values.size !== size && this.scanned) {
      const unsorted = this.unsorted;
      unsorted.push(k);
      // keys removed (and added again) pile up in the list while nothing scans: bounded by the table's size
      if (unsorted.length > 1024 && unsorted.length > 2 * values.size) this.compactUnsorted();
    }
  }

  /**
   * Removes a key from the map and from the tree; a tree that nothing has scanned yet is empty, so
   * the removal skips its search (a session store removes every merged session).
   */
  private remove(k: string): void {
    const values = this.values;
    const slab = this.slab;
    if (slab !== undefined) {
      const old = values.get(k);
      if (typeof old === 'number') slab.free(old);
    }
    if (values.delete(k) && !this.keys.isEmpty) this.keys.delete(k);
  }

  /** Moves the slab's live values into a new block, each key's handle with them. */
  private compactSlab(slab: ValueSlab): void {
    const values = this.values;
    slab.compact((move) => {
      for (const [k, v] of values) if (typeof v === 'number') values.set(k, move(v));
    });
  }

  /** Drops the keys of the waiting list that were removed since, and repeats (added, removed, added again). */
  private compactUnsorted(): void {
    const values = this.values;
    const kept = new Set<string>();
    for (const k of this.unsorted) if (values.has(k)) kept.add(k);
    this.unsorted = [...kept];
  }

  /** The key tree with every key added so far (inserted now if not yet). */
  private sortedKeys(): BTree<string, undefined> {
    if (!this.scanned) {
      this.scanned = true;
      const keys = this.keys;
      for (const k of this.values.keys()) keys.set(k, undefined);
      return keys;
    }
    const unsorted = this.unsorted;
    if (unsorted.length > 0) {
      const keys = this.keys;
      const values = this.values;
      for (let i = 0; i < unsorted.length; i++) {
        const k = unsorted[i]!;
        if (values.has(k)) keys.set(k, undefined);
      }
      this.unsorted = [];
    }
    return this.keys;
  }
}

function* reversedKeys(tree: BTree<string, undefined>, highest: string | undefined): Generator<string> {
  for (const [k] of tree.entriesReversed(highest)) yield k;
}
