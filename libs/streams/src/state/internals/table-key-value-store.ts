import type { Serializer } from '../../serialization/serde';
import type { ChangelogRecord, StateStore, StateStoreContext } from '../../processor/state-store';
import { InvalidStateStoreError } from '../errors';
import type { KeyValue, KeyValueIterator } from '../key-value';
import type { KeyValueStore } from '../key-value-store';
import { prefixUpperBound } from './bytes';
import type { BytesTable } from './bytes-table';
import { filterIterator } from './store-iterator';

/** A bytes key-value store at the bottom of a layered store: what the upper layers wrap. */
export interface KeyValueBytesStore extends KeyValueStore<Buffer, Buffer> {
  /** Label for metrics (`in-memory`, `lmdb`, `lru-map`, ...). */
  readonly storeType: string;
}

/**
 * Base of the innermost key-value stores: the {@link KeyValueStore} API over a {@link BytesTable},
 * registering a restore callback that writes each changelog batch straight into the table.
 */
export abstract class TableKeyValueStore implements KeyValueBytesStore {
  abstract readonly persistent: boolean;
  abstract readonly storeType: string;
  private opened: BytesTable | undefined;

  constructor(readonly name: string) {}

  /** Creates or opens the table for this store. */
  protected abstract openTable(context: StateStoreContext): BytesTable;

  /** Opens synchronously (LMDB opens synchronously too), so a test driver needs no `await`. */
  init(context: StateStoreContext, root: StateStore): void {
    if (this.opened) throw new InvalidStateStoreError(`store ${this.name} is already open`);
    this.opened = this.openTable(context);
    this.afterOpen(this.opened);
    context.register(root, (batch) => this.restoreBatch(batch));
  }

  /** Hook for subclasses once the table exists. */
  protected afterOpen(_table: BytesTable): void {}

  /** Writes a batch of changelog records (tombstones delete) in one go. */
  restoreBatch(batch: readonly ChangelogRecord[]): void {
    this.table.writeBatch(batch);
  }

  protected get table(): BytesTable {
    const t = this.opened;
    if (t === undefined) throw new InvalidStateStoreError(`store ${this.name} is not open`);
    return t;
  }

  isOpen(): boolean {
    return this.opened !== undefined;
  }

  get(key: Buffer): Buffer | undefined {
    return this.table.get(requireKey(key, this.name));
  }

  put(key: Buffer, value: Buffer | null): void {
    requireKey(key, this.name);
    if (value === null) this.table.delete(key);
    else this.table.put(key, value);
  }

  putIfAbsent(key: Buffer, value: Buffer | null): Buffer | undefined {
    const existing = this.get(key);
    if (existing === undefined) this.put(key, value);
    return existing;
  }

  putAll(entries: Iterable<KeyValue<Buffer, Buffer | null>>): void {
    for (const e of entries) this.put(e.key, e.value);
  }

  delete(key: Buffer): Buffer | undefined {
    const old = this.get(key);
    if (old !== undefined) this.table.delete(key);
    return old;
  }

  range(from: Buffer | undefined, to: Buffer | undefined): KeyValueIterator<Buffer, Buffer> {
    return this.table.range(from, to, false);
  }

  reverseRange(from: Buffer | undefined, to: Buffer | undefined): KeyValueIterator<Buffer, Buffer> {
    return this.table.range(from, to, true);
  }

  prefixScan<P>(prefix: P, prefixSerializer: Serializer<P>): KeyValueIterator<Buffer, Buffer> {
    return this.prefixScanBytes(serializePrefix(prefixSerializer, this.name, prefix, this.name));
  }

  /** Entries whose key starts with `prefix`. */
  prefixScanBytes(prefix: Buffer): KeyValueIterator<Buffer, Buffer> {
    const upper = prefixUpperBound(prefix);
    const it = this.table.range(prefix, upper, false);
    if (upper === undefined) return it;
    // `range` includes its upper bound; the prefix's upper bound itself does not start with the prefix.
    return excludeKey(it, upper);
  }

  all(): KeyValueIterator<Buffer, Buffer> {
    return this.table.range(undefined, undefined, false);
  }

  reverseAll(): KeyValueIterator<Buffer, Buffer> {
    return this.table.range(undefined, undefined, true);
  }

  approximateNumEntries(): number {
    return this.table.count();
  }

  /** Makes the table's writes durable; asynchronous where the table waits for the disk off the thread. */
  flush(): void | Promise<void> {
    const table = this.table;
    if (table.flushAsync) return table.flushAsync();
    table.flush();
  }

  /** On every task commit: commits the table's write buffer once its oldest write waited its longest delay. */
  flushCache(): void {
    this.table.commitIfDue?.();
  }

  async close(): Promise<void> {
    const t = this.opened;
    if (t === undefined) return;
    this.opened = undefined;
    t.close();
    await this.closeEngine();
  }

  /** Hook for subclasses to release their engine after the table closed. */
  protected closeEngine(): void | Promise<void> {}
}

/** Serializes a scan prefix, refusing a `null` result. */
export function serializePrefix<P>(
  serializer: Serializer<P>,
  topic: string,
  prefix: P,
  storeName: string,
): Buffer {
  const bytes = serializer.serialize(topic, prefix);
  if (bytes === null) throw new TypeError(`store ${storeName}: the prefix serialized to null`);
  return bytes;
}

/** Serializer of Buffers as they are (for passing serialized prefixes down the layers). */
export const BYTES_SERIALIZER: Serializer<Buffer> = { serialize: (_topic, data) => data };

/** Throws a clear error for a missing key. */
export function requireKey(key: Buffer, storeName: string): Buffer {
  if (key === null || key === undefined)
    throw new TypeError(`store ${storeName}: key must not be null or undefined`);
  if (!Buffer.isBuffer(key)) throw new TypeError(`store ${storeName}: bytes store key must be a Buffer`);
  return key;
}

function excludeKey(
  it: KeyValueIterator<Buffer, Buffer>,
  excluded: Buffer,
): KeyValueIterator<Buffer, Buffer> {
  return filterIterator(it, (e) => !e.key.equals(excluded));
}
