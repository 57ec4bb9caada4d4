import type { Serializer } from '../../serialization/serde';
import type { StateStore, StateStoreContext } from '../../processor/state-store';
import type { KeyValue, KeyValueIterator } from '../key-value';
import { ChangeLoggingStore } from './change-logging-store';
import { MemoryLruStore } from './memory-lru-store';
import type { KeyValueBytesStore } from './table-key-value-store';

/**
 * Kafka Streams' `ChangeLoggingKeyValueBytesStore`: every write to the store below is also sent
 * to the store's changelog via `context.logChange`, with the current record's timestamp.
 */
export class ChangeLoggingKeyValueStore
  extends ChangeLoggingStore<KeyValueBytesStore>
  implements KeyValueBytesStore
{
  override init(context: StateStoreContext, root: StateStore): void | Promise<void> {
    if (this.inner instanceof MemoryLruStore) {
      this.inner.setEvictionListener((key) => this.log(key, null));
    }
    return super.init(context, root);
  }

  get(key: Buffer): Buffer | undefined {
    return this.inner.get(key);
  }

  put(key: Buffer, value: Buffer | null): void {
    this.inner.put(key, value);
    this.log(key, value);
  }

  putIfAbsent(key: Buffer, value: Buffer | null): Buffer | undefined {
    const previous = this.inner.putIfAbsent(key, value);
    if (previous === undefined) this.log(key, value);
    return previous;
  }

  putAll(entries: Iterable<KeyValue<Buffer, Buffer | null>>): void {
    const list = Array.from(entries);
    this.inner.putAll(list);
    for (const e of list) this.log(e.key, e.value);
  }

  delete(key: Buffer): Buffer | undefined {
    const old = this.inner.delete(key);
    this.log(key, null);
    return old;
  }

  range(from: Buffer | undefined, to: Buffer | undefined): KeyValueIterator<Buffer, Buffer> {
    return this.inner.range(from, to);
  }
  reverseRange(from: Buffer | undefined, to: Buffer | undefined): KeyValueIterator<Buffer, Buffer> {
    return this.inner.reverseRange(from, to);
  }
  prefixScan<P>(prefix: P, serializer: Serializer<P>): KeyValueIterator<Buffer, Buffer> {
    return this.inner.prefixScan(prefix, serializer);
  }
  all(): KeyValueIterator<Buffer, Buffer> {
    return this.inner.all();
  }
  reverseAll(): KeyValueIterator<Buffer, Buffer> {
    return this.inner.reverseAll();
  }
}
