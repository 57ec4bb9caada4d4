import { ErrorCode } from '../protocol/error-codes';

type Kind = 'long' | 'int' | 'policy' | 'string' | 'boolean' | 'double' | 'list';

interface ConfigSpec {
  readonly kind: Kind;
  readonly defaultValue: string;
  /** True when this broker acts on the value (others are stored and reported only). */
  readonly honoured: boolean;
  readonly min?: number;
}

/** Topic configs the broker knows, with Kafka's defaults. */
export const TOPIC_CONFIG_SPECS: Readonly<Record<string, ConfigSpec>> = {
  'cleanup.policy': { kind: 'policy', defaultValue: 'delete', honoured: true },
  'retention.ms': { kind: 'long', defaultValue: '604800000', honoured: true, min: -1 },
  'retention.bytes': { kind: 'long', defaultValue: '-1', honoured: true, min: -1 },
  'segment.bytes': { kind: 'int', defaultValue: '1073741824', honoured: true, min: 14 },
  'max.message.bytes': { kind: 'int', defaultValue: '1048588', honoured: true, min: 0 },
  'min.compaction.lag.ms': { kind: 'long', defaultValue: '0', honoured: true, min: 0 },
  'delete.retention.ms': { kind: 'long', defaultValue: '86400000', honoured: true, min: 0 },
  'segment.ms': { kind: 'long', defaultValue: '604800000', honoured: false, min: 1 },
  'max.compaction.lag.ms': { kind: 'long', defaultValue: '9223372036854775807', honoured: false, min: 1 },
  'min.cleanable.dirty.ratio': { kind: 'double', defaultValue: '0.5', honoured: false },
  'min.insync.replicas': { kind: 'int', defaultValue: '1', honoured: false, min: 1 },
  'message.timestamp.type': { kind: 'string', defaultValue: 'CreateTime', honoured: false },
  'message.timestamp.difference.max.ms': {
    kind: 'long',
    defaultValue: '9223372036854775807',
    honoured: false,
    min: 0,
  },
  'compression.type': { kind: 'string', defaultValue: 'producer', honoured: false },
  'unclean.leader.election.enable': { kind: 'boolean', defaultValue: 'false', honoured: false },
  'flush.messages': { kind: 'long', defaultValue: '9223372036854775807', honoured: false, min: 1 },
  'flush.ms': { kind: 'long', defaultValue: '9223372036854775807', honoured: false, min: 0 },
  'segment.index.bytes': { kind: 'int', defaultValue: '10485760', honoured: false, min: 4 },
  'segment.jitter.ms': { kind: 'long', defaultValue: '0', honoured: false, min: 0 },
  'index.interval.bytes': { kind: 'int', defaultValue: '4096', honoured: false, min: 0 },
  'file.delete.delay.ms': { kind: 'long', defaultValue: '60000', honoured: false, min: 0 },
  preallocate: { kind: 'boolean', defaultValue: 'false', honoured: false },
  'message.downconversion.enable': { kind: 'boolean', defaultValue: 'true', honoured: false },
  'message.format.version': { kind: 'string', defaultValue: '3.0-IV1', honoured: false },
  'follower.replication.throttled.replicas': { kind: 'list', defaultValue: '', honoured: false },
  'leader.replication.throttled.replicas': { kind: 'list', defaultValue: '', honoured: false },
};

/** A config problem: Kafka error code and a message naming the config. */
export interface ConfigProblem {
  readonly errorCode: number;
  readonly message: string;
}

/** Checks one config name/value; returns a problem or undefined. */
export function validateTopicConfig(name: string, value: string | null): ConfigProblem | undefined {
  const spec = TOPIC_CONFIG_SPECS[name];
  if (!spec) return { errorCode: ErrorCode.INVALID_CONFIG, message: `Unknown topic config name: ${name}` };
  if (value === null) return undefined;
  const bad = (why: string): ConfigProblem => ({
    errorCode: ErrorCode.INVALID_CONFIG,
    message: `Invalid value ${value} for configuration ${name}: ${why}`,
  });
  switch (spec.kind) {
    case 'long':
    case 'int': {
      if (!/^-?\d+$/.test(value.trim())) return bad('not a number');
      const n = Number(value);
      if (spec.min !== undefined && n < spec.min) return bad(`Value must be at least ${spec.min}`);
      if (spec.kind === 'int' && n > 2147483647) return bad('Value must fit in an int');
      return undefined;
    }
    case 'double':
      return Number.isFinite(Number(value)) ? undefined : bad('not a number');
    case 'boolean':
      return value === 'true' || value === 'false'
        ? undefined
        : bad('Expected value to be either true or false');
    case 'policy': {
      const parts = value.split(',').map((p) => p.trim());
      if (parts.length === 0 || parts.some((p) => p !== 'delete' && p !== 'compact')) {
        return bad('String must be one of: compact, delete');
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Effective configuration of one topic: the honoured values parsed, plus every
 * config's string value for DescribeConfigs.
 */
export class TopicConfig {
  private constructor(
    /** Every known config name -> effective string value. */
    readonly values: Readonly<Record<string, string>>,
    readonly compact: boolean,
    readonly deleteRetention: boolean,
    readonly retentionMs: number,
    readonly retentionBytes: number,
    readonly segmentBytes: number,
    readonly maxMessageBytes: number,
    readonly minCompactionLagMs: number,
    readonly deleteRetentionMs: number,
  ) {}

  /** Builds the effective config: Kafka defaults, then broker defaults, then topic overrides (all pre-validated). */
  static resolve(
    brokerDefaults: Readonly<Record<string, string>>,
    overrides: Readonly<Record<string, string>>,
  ): TopicConfig {
    const values: Record<string, string> = {};
    for (const [k, spec] of Object.entries(TOPIC_CONFIG_SPECS)) values[k] = spec.defaultValue;
    Object.assign(values, brokerDefaults, overrides);
    const policy = values['cleanup.policy']!.split(',').map((p) => p.trim());
    return new TopicConfig(
      values,
      policy.includes('compact'),
      policy.includes('delete'),
      Number(values['retention.ms']),
      Number(values['retention.bytes']),
      Number(values['segment.bytes']),
      Number(values['max.message.bytes']),
      Number(values['min.compaction.lag.ms']),
      Number(values['delete.retention.ms']),
    );
  }

  /** True when `name` is known and its value is read only by clients (not acted on). */
  static isKnown(name: string): boolean {
    return TOPIC_CONFIG_SPECS[name] !== undefined;
  }
}
