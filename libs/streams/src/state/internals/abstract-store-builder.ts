import type { Registry } from 'prom-client';
import type { StateStore } from '../../processor/state-store';
import type { Serde } from '../../serialization/serde';
import { StateSerdes } from './state-serdes';
import type { ConfigurableStoreBuilder } from '../configurable-store-builder';

/** Kafka Streams' default changelog topic config for key-value stores. */
export const DEFAULT_CHANGELOG_CONFIG: Readonly<Record<string, string>> = Object.freeze({
  'cleanup.policy': 'compact',
});

/**
 * Common state of the store builders (Kafka Streams' `AbstractStoreBuilder`): logging on by default,
 * caching off by default, metrics registry. Implements the runtime's {@link StoreBuilder} contract
 * (`name`, `loggingEnabled`, `logConfig`, `build()`).
 */
export abstract class AbstractStoreBuilder<T extends StateStore> implements ConfigurableStoreBuilder<T> {
  private logging = true;
  private userLogConfig: Record<string, string> = {};
  private caching = false;
  protected registry: Registry | undefined;

  constructor(readonly name: string) {}

  /** True when writes are mirrored to `<applicationId>-<name>-changelog` (the default). */
  get loggingEnabled(): boolean {
    return this.logging;
  }
  /** Topic configs for the changelog topic: the store kind's defaults (`cleanup.policy`, ...) under the user's. */
  get logConfig(): Readonly<Record<string, string>> {
    return { ...this.defaultLogConfig(), ...this.userLogConfig };
  }
  /** True when writes go through the task's record cache. */
  get cachingEnabled(): boolean {
    return this.caching;
  }

  /** Changelog topic config before the user's overrides. */
  protected defaultLogConfig(): Record<string, string> {
    return { ...DEFAULT_CHANGELOG_CONFIG };
  }

  /** Mirrors writes to a compacted changelog topic; `topicConfig` is merged over the defaults. */
  withLoggingEnabled(topicConfig: Record<string, string> = {}): this {
    for (const [k, v] of Object.entries(topicConfig)) {
      if (typeof v !== 'string')
        throw new TypeError(`store ${this.name}: changelog config ${k} must be a string, got ${typeof v}`);
    }
    this.logging = true;
    this.userLogConfig = { ...topicConfig };
    return this;
  }
  /** No changelog: the store starts empty after a move or a wipe. */
  withLoggingDisabled(): this {
    this.logging = false;
    this.userLogConfig = {};
    return this;
  }
  /** Buffers and de-duplicates writes in the task's record cache (bounded by the task's `cacheMaxBytes`). */
  withCachingEnabled(): this {
    this.caching = true;
    return this;
  }
  /** Every write goes straight through (the default). */
  withCachingDisabled(): this {
    this.caching = false;
    return this;
  }
  /** Sends the store's metrics to `registry` instead of the context's or prom-client's default. */
  withMetricsRegistry(registry: Registry): this {
    this.registry = registry;
    return this;
  }

  /** A new, unopened store; called once per task. */
  abstract build(): T;
}

/** A builder over a bytes-store supplier and the key and value serdes of the metered layer (validated up front). */
export abstract class SuppliedStoreBuilder<
  T extends StateStore,
  S extends { readonly name: string },
  K,
  V,
> extends AbstractStoreBuilder<T> {
  constructor(
    protected readonly supplier: S,
    protected readonly keySerde: Serde<K>,
    protected readonly valueSerde: Serde<V>,
  ) {
    super(supplier.name);
    StateSerdes.validate(keySerde, 'keySerde', supplier.name);
    StateSerdes.validate(valueSerde, 'valueSerde', supplier.name);
  }
}
