import { InvalidStateStoreError } from '../errors';
import type { KeyValue, KeyValueIterator } from '../key-value';

/**
 * A {@link KeyValueIterator} over a source iterator, with one entry of look-ahead and
 * explicit close. Closing releases the source (via its `return()`) and runs `onClose`.
 * Running to the end or breaking out of `for...of` closes it as well.
 */
export class StoreIterator<K, V> implements KeyValueIterator<K, V> {
  private nextEntry: KeyValue<K, V> | undefined;
  private fetched = false;
  private closed = false;
  private exhausted = false;

  constructor(
    private readonly source: Iterator<KeyValue<K, V>>,
    private readonly onClose?: () => void,
    private readonly storeName = 'store',
  ) {}

  hasNext(): boolean {
    if (this.exhausted) return false;
    this.fill();
    return this.nextEntry !== undefined;
  }

  peekNextKey(): K | undefined {
    if (this.exhausted) return undefined;
    this.fill();
    return this.nextEntry?.key;
  }

  next(): IteratorResult<KeyValue<K, V>> {
    if (this.exhausted) return { done: true, value: undefined };
    this.fill();
    const entry = this.nextEntry;
    if (entry === undefined) {
      this.exhausted = true;
      this.close();
      return { done: true, value: undefined };
    }
    this.nextEntry = undefined;
    this.fetched = false;
    return { done: false, value: entry };
  }

  return(): IteratorResult<KeyValue<K, V>> {
    this.exhausted = true;
    this.close();
    return { done: true, value: undefined };
  }

  [Symbol.iterator](): this {
    return this;
  }

  /** True once closed. */
  isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.nextEntry = undefined;
    this.fetched = false;
    try {
      this.source.return?.();
    } finally {
      this.onClose?.();
    }
  }

  private fill(): void {
    if (this.fetched) return;
    if (this.closed) throw new InvalidStateStoreError(`iterator of store ${this.storeName} is closed`);
    const result = this.source.next();
    this.nextEntry = result.done ? undefined : result.value;
    this.fetched = true;
  }
}

/** Wraps an iterator, mapping each entry; closing the result closes the source. */
export function mapIterator<K1, V1, K2, V2>(
  source: KeyValueIterator<K1, V1>,
  map: (entry: KeyValue<K1, V1>) => KeyValue<K2, V2>,
  onClose?: () => void,
  storeName?: string,
): KeyValueIterator<K2, V2> {
  const mapped: Iterator<KeyValue<K2, V2>> = {
    next: () => {
      const r = source.next();
      return r.done ? { done: true, value: undefined } : { done: false, value: map(r.value) };
    },
    return: () => {
      source.close();
      return { done: true, value: undefined };
    },
  };
  return new StoreIterator(mapped, onClose, storeName);
}

/** Wraps an iterator, dropping entries `keep` rejects and stopping where `stop` says; closing closes the source. */
export function filterIterator<K, V>(
  source: KeyValueIterator<K, V>,
  keep: (entry: KeyValue<K, V>) => boolean,
  storeName?: string,
): KeyValueIterator<K, V> {
  const filtered: Iterator<KeyValue<K, V>> = {
    next: () => {
      for (;;) {
        const r = source.next();
        if (r.done) return r;
        if (keep(r.value)) return r;
      }
    },
    return: () => {
      source.close();
      return { done: true, value: undefined };
    },
  };
  return new StoreIterator(filtered, undefined, storeName);
}

/** An iterator over the concatenation of lazily created iterators (segment after segment). */
export function concatIterators<K, V>(
  sources: Iterable<() => KeyValueIterator<K, V>>,
  storeName?: string,
): KeyValueIterator<K, V> {
  const factories = sources[Symbol.iterator]();
  let current: KeyValueIterator<K, V> | undefined;
  const concat: Iterator<KeyValue<K, V>> = {
    next: () => {
      for (;;) {
        if (current === undefined) {
          const f = factories.next();
          if (f.done) return { done: true, value: undefined };
          current = f.value();
        }
        const r = current.next();
        if (!r.done) return r;
        current.close();
        current = undefined;
      }
    },
    return: () => {
      current?.close();
      current = undefined;
      return { done: true, value: undefined };
    },
  };
  return new StoreIterator(concat, undefined, storeName);
}

/** An empty, already exhausted iterator. */
export function emptyIterator<K, V>(): KeyValueIterator<K, V> {
  return new StoreIterator<K, V>([][Symbol.iterator]());
}
