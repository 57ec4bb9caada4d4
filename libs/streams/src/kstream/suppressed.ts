/** What a full suppression buffer does (Kafka Streams' `BufferConfig` strategies). */
export type BufferFullStrategy = 'emit-early' | 'shut-down';

/** @internal The settings of a {@link BufferConfig}. */
export interface BufferConfigFields {
  readonly maxRecords: number;
  readonly maxBytes: number;
  readonly strategy: BufferFullStrategy;
}

/**
 * The bound of a suppression buffer (Kafka Streams' `Suppressed.BufferConfig`): unbounded, or at most
 * `maxRecords` keys / `maxBytes` bytes; when full it emits the oldest records early, or stops the
 * application (`shutDownWhenFull`, the only choice for `untilWindowCloses`, which promises final results).
 */
export class BufferConfig {
  private constructor(readonly fields: BufferConfigFields) {}

  /** No bound; the application stops if memory runs out (a strict buffer). */
  static unbounded(): BufferConfig {
    return new BufferConfig({ maxRecords: Infinity, maxBytes: Infinity, strategy: 'shut-down' });
  }
  /** At most `n` keys; emits early when full unless `shutDownWhenFull()`. */
  static maxRecords(n: number): BufferConfig {
    return new BufferConfig({
      maxRecords: Infinity,
      maxBytes: Infinity,
      strategy: 'emit-early',
    }).withMaxRecords(n);
  }
  /** At most `n` bytes of keys and values; emits early when full unless `shutDownWhenFull()`. */
  static maxBytes(n: number): BufferConfig {
    return new BufferConfig({
      maxRecords: Infinity,
      maxBytes: Infinity,
      strategy: 'emit-early',
    }).withMaxBytes(n);
  }

  withMaxRecords(n: number): BufferConfig {
    if (!Number.isSafeInteger(n) || n < 1)
      throw new Error(`BufferConfig.maxRecords must be a positive integer, got ${n}`);
    return new BufferConfig({ ...this.fields, maxRecords: n });
  }
  withMaxBytes(n: number): BufferConfig {
    if (!Number.isSafeInteger(n) || n < 1)
      throw new Error(`BufferConfig.maxBytes must be a positive integer, got ${n}`);
    return new BufferConfig({ ...this.fields, maxBytes: n });
  }
  /** Removes the bound. */
  withNoBound(): BufferConfig {
    return new BufferConfig({ ...this.fields, maxRecords: Infinity, maxBytes: Infinity });
  }
  /** When full, emit the oldest records before their time (not allowed for `untilWindowCloses`). */
  emitEarlyWhenFull(): BufferConfig {
    return new BufferConfig({ ...this.fields, strategy: 'emit-early' });
  }
  /** When full, stop the application with an error rather than emit early. */
  shutDownWhenFull(): BufferConfig {
    return new BufferConfig({ ...this.fields, strategy: 'shut-down' });
  }
}

/** @internal The settings of a {@link Suppressed}. */
export interface SuppressedFields {
  readonly kind: 'window-close' | 'time-limit';
  readonly timeLimitMs: number;
  readonly buffer: BufferConfig;
  readonly name?: string;
}

/**
 * How `KTable.suppress` holds back updates (Kafka Streams' `Suppressed`): until a window closes
 * (exactly one final result per window), or for a time limit per key (the latest value, with the
 * value before the first held update as its old value). The buffer has its own changelog.
 */
export class Suppressed {
  private constructor(readonly fields: SuppressedFields) {}

  static BufferConfig = BufferConfig;

  /** One final result per window once stream time passes the window end plus grace. Windowed tables only. */
  static untilWindowCloses(bufferConfig: BufferConfig): Suppressed {
    if (bufferConfig.fields.strategy !== 'shut-down')
      throw new Error(
        'Suppressed.untilWindowCloses needs a strict buffer (unbounded() or shutDownWhenFull())',
      );
    return new Suppressed({ kind: 'window-close', timeLimitMs: 0, buffer: bufferConfig });
  }

  /** Holds each key's updates until `timeLimitMs` of stream time has passed since its first held update. */
  static untilTimeLimit(timeLimitMs: number, bufferConfig: BufferConfig): Suppressed {
    if (!Number.isSafeInteger(timeLimitMs) || timeLimitMs < 0)
      throw new Error(
        `Suppressed.untilTimeLimit: the limit must be a non-negative integer, got ${timeLimitMs}`,
      );
    return new Suppressed({ kind: 'time-limit', timeLimitMs, buffer: bufferConfig });
  }

  /** Names the processor `name` and the buffer store `<name>-store`. */
  withName(name: string): Suppressed {
    if (!name || !/^[a-zA-Z0-9._-]+$/.test(name))
      throw new Error(`Suppressed.withName: "${name}" is not a legal name (letters, digits, ".", "_", "-")`);
    return new Suppressed({ ...this.fields, name });
  }
}
