import type {
  StateRestoreCallback,
  StateStore,
  StateStoreContext,
  StoreRegistration,
  TaskId,
} from '../../processor/state-store';
import type { Headers } from '../../serialization/serde';

/**
 * A {@link StateStoreContext} that delegates to another one; store layers subclass it to change
 * what the layers below them see (the registration's changelog topic, the record timestamp).
 */
export class ForwardingStateStoreContext implements StateStoreContext {
  constructor(protected readonly delegate: StateStoreContext) {}

  get applicationId(): string {
    return this.delegate.applicationId;
  }
  get taskId(): TaskId {
    return this.delegate.taskId;
  }
  get stateDir(): string {
    return this.delegate.stateDir;
  }
  get cacheMaxBytes(): number {
    return this.delegate.cacheMaxBytes;
  }
  get recordCacheOwner(): object | undefined {
    return this.delegate.recordCacheOwner;
  }
  /** The context the runtime gave, under every layer's wrapper. */
  get root(): StateStoreContext {
    return this.delegate instanceof ForwardingStateStoreContext ? this.delegate.root : this.delegate;
  }
  register(store: StateStore, restore: StateRestoreCallback, registration?: StoreRegistration): void {
    this.delegate.register(store, restore, registration);
  }
  logChange(storeName: string, key: Buffer, value: Buffer | null, timestamp: number): void {
    this.delegate.logChange(storeName, key, value, timestamp);
  }
  currentTimestamp(): number {
    return this.delegate.currentTimestamp();
  }
  currentHeaders(): Headers | undefined {
    return this.delegate.currentHeaders?.();
  }
}

/** Adds the changelog topic to the registration of the store below (used by the change-logging layer). */
export class ChangelogRegistrationContext extends ForwardingStateStoreContext {
  constructor(
    delegate: StateStoreContext,
    private readonly changelogTopic: string,
  ) {
    super(delegate);
  }
  override register(
    store: StateStore,
    restore: StateRestoreCallback,
    registration?: StoreRegistration,
  ): void {
    this.delegate.register(store, restore, { ...registration, changelogTopic: this.changelogTopic });
  }
}

/** Reports a cached entry's own timestamp while the caching layer flushes it. */
export class FlushTimestampContext extends ForwardingStateStoreContext {
  flushTimestamp: number | undefined;
  override currentTimestamp(): number {
    return this.flushTimestamp ?? this.delegate.currentTimestamp();
  }
}

/** Kafka Streams' changelog topic name: `<applicationId>-<storeName>-changelog`. */
export function changelogTopicName(applicationId: string, storeName: string): string {
  return `${applicationId}-${storeName}-changelog`;
}
