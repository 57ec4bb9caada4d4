import type { StateStore, StateStoreContext } from '../../processor/state-store';

/** What every layer of a layered store wraps: a state store with a metrics label and a size estimate. */
export interface LayeredStore extends StateStore {
  /** Label for metrics (`in-memory`, `lmdb`, `lmdb-window`, ...). */
  readonly storeType: string;
  approximateNumEntries(): number;
}

/**
 * Kafka Streams' `WrappedStateStore`: the base of every store layer (change-logging, caching,
 * metered). Delegates identity, lifecycle and size to the store below; layers override what they add.
 */
export abstract class WrappedStateStore<S extends LayeredStore> {
  constructor(readonly inner: S) {}

  get name(): string {
    return this.inner.name;
  }
  get persistent(): boolean {
    return this.inner.persistent;
  }
  get storeType(): string {
    return this.inner.storeType;
  }

  init(context: StateStoreContext, root: StateStore): void | Promise<void> {
    return this.inner.init(context, root);
  }
  isOpen(): boolean {
    return this.inner.isOpen();
  }
  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }
  flush(): void | Promise<void> {
    return this.inner.flush();
  }
  /** Flushes the record caches of the layers below (a caching layer overrides this); no other writes. */
  flushCache(): void | Promise<void> {
    return this.inner.flushCache?.();
  }
  close(): void | Promise<void> {
    return this.inner.close();
  }
}
