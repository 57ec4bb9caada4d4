import { StateStore } from './state-store';

/**
 * Builds a fresh store for each task (Kafka Streams' `StoreBuilder`). The runtime calls
 * `build()` once per task that uses the store, then `init(context, store)`; when logging is
 * enabled, writes go to `<applicationId>-<name>-changelog`, created with `logConfig` as
 * topic configs and `cleanup.policy=compact`.
 */
export interface StoreBuilder<T extends StateStore = StateStore> {
  readonly name: string;
  /** True when writes are mirrored to the changelog topic. */
  readonly loggingEnabled: boolean;
  /** Topic configs of the changelog topic. */
  readonly logConfig: Readonly<Record<string, string>>;
  /** A new, unopened store; called once per task. */
  build(): T;
}
