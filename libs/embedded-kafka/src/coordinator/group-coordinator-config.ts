import { InvalidConfigError } from '../errors/kafka-broker-error';

/** Settings of the group coordinator, named after the Kafka broker configs they mirror. */
export interface GroupCoordinatorSettings {
  /** `group.initial.rebalance.delay.ms`: how long the first rebalance of an empty group waits for more members (Kafka: 3000). */
  initialRebalanceDelayMs: number;
  /** `group.min.session.timeout.ms` (Kafka: 6000). */
  minSessionTimeoutMs: number;
  /** `group.max.session.timeout.ms` (Kafka: 1800000). */
  maxSessionTimeoutMs: number;
  /** `offsets.retention.minutes` in ms: how long committed offsets of an empty group are kept (Kafka: 7 days). */
  offsetsRetentionMs: number;
  /** `offsets.retention.check.interval.ms` (Kafka: 600000). */
  offsetsRetentionCheckIntervalMs: number;
  /** `offset.metadata.max.bytes` (Kafka: 4096). */
  offsetMetadataMaxBytes: number;
  /** How long a new member's JoinGroup may wait before it is dropped (Kafka: 5 minutes, not configurable there). */
  newMemberJoinTimeoutMs: number;
}

const KAFKA_DEFAULTS: GroupCoordinatorSettings = {
  initialRebalanceDelayMs: 3000,
  minSessionTimeoutMs: 6000,
  maxSessionTimeoutMs: 1_800_000,
  offsetsRetentionMs: 7 * 24 * 60 * 60 * 1000,
  offsetsRetentionCheckIntervalMs: 600_000,
  offsetMetadataMaxBytes: 4096,
  newMemberJoinTimeoutMs: 5 * 60 * 1000,
};

/**
 * Group coordinator settings as a validated, immutable value object.
 *
 * ```ts
 * GroupCoordinatorConfig.kafkaDefaults();                 // as Apache Kafka
 * GroupCoordinatorConfig.forTests();                      // no initial rebalance delay
 * GroupCoordinatorConfig.of({ initialRebalanceDelayMs: 500 });
 * ```
 */
export class GroupCoordinatorConfig implements Readonly<GroupCoordinatorSettings> {
  readonly initialRebalanceDelayMs!: number;
  readonly minSessionTimeoutMs!: number;
  readonly maxSessionTimeoutMs!: number;
  readonly offsetsRetentionMs!: number;
  readonly offsetsRetentionCheckIntervalMs!: number;
  readonly offsetMetadataMaxBytes!: number;
  readonly newMemberJoinTimeoutMs!: number;

  private constructor(settings: GroupCoordinatorSettings) {
    for (const [key, value] of Object.entries(settings)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || !Number.isInteger(value)) {
        throw new InvalidConfigError(
          `group coordinator setting ${key} must be a non-negative integer, got ${String(value)}`,
        );
      }
    }
    if (settings.minSessionTimeoutMs > settings.maxSessionTimeoutMs) {
      throw new InvalidConfigError(
        `minSessionTimeoutMs (${settings.minSessionTimeoutMs}) is greater than maxSessionTimeoutMs (${settings.maxSessionTimeoutMs})`,
      );
    }
    if (settings.offsetsRetentionCheckIntervalMs === 0) {
      throw new InvalidConfigError('offsetsRetentionCheckIntervalMs must be positive');
    }
    Object.assign(this, settings);
    Object.freeze(this);
  }

  /** Apache Kafka's defaults, with any overrides. */
  static of(overrides: Partial<GroupCoordinatorSettings> = {}): GroupCoordinatorConfig {
    const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
    return new GroupCoordinatorConfig({ ...KAFKA_DEFAULTS, ...defined });
  }

  /** Apache Kafka's defaults. */
  static kafkaDefaults(): GroupCoordinatorConfig {
    return GroupCoordinatorConfig.of();
  }

  /** Kafka's defaults with `group.initial.rebalance.delay.ms=0`, as Kafka's own test setups use. */
  static forTests(overrides: Partial<GroupCoordinatorSettings> = {}): GroupCoordinatorConfig {
    return GroupCoordinatorConfig.of({ initialRebalanceDelayMs: 0, ...overrides });
  }
}
