import { StreamsConfigError } from './errors/config-error';

/** Kafka Streams' `StreamsConfig.REUSE_KTABLE_SOURCE_TOPICS`. */
export const REUSE_KTABLE_SOURCE_TOPICS = 'reuse.ktable.source.topics';
/** Kafka Streams' `StreamsConfig.MERGE_REPARTITION_TOPICS` (not implemented here). */
export const MERGE_REPARTITION_TOPICS = 'merge.repartition.topics';
/** Kafka Streams' `StreamsConfig.SINGLE_STORE_SELF_JOIN` (not implemented here). */
export const SINGLE_STORE_SELF_JOIN = 'single.store.self.join';

/** One optimization rule this library applies. */
export type TopologyOptimizationRule = typeof REUSE_KTABLE_SOURCE_TOPICS;

/**
 * Value of {@link StreamsConfig.topologyOptimization}: `none` (default), `all`, or a comma-separated
 * list of rules (Kafka Streams' `topology.optimization`).
 */
export type TopologyOptimization = 'none' | 'all' | (string & {});

const RULES = [REUSE_KTABLE_SOURCE_TOPICS, MERGE_REPARTITION_TOPICS, SINGLE_STORE_SELF_JOIN];
const NOT_IMPLEMENTED = new Set([MERGE_REPARTITION_TOPICS, SINGLE_STORE_SELF_JOIN]);
const FIELD = 'topologyOptimization';

/**
 * The rules a `topologyOptimization` value turns on (Kafka Streams'
 * `StreamsConfig.verifyTopologyOptimizationConfigs`): `none` or `all` alone, or a list of rules split
 * on commas (spaces around them ignored). `all` is every rule this library implements
 * (`reuse.ktable.source.topics`); naming `merge.repartition.topics` or `single.store.self.join`
 * explicitly is refused, as is any unknown value, with a {@link StreamsConfigError} naming the field.
 */
export function resolveTopologyOptimization(value: unknown): ReadonlySet<TopologyOptimizationRule> {
  if (value === undefined) return new Set();
  if (typeof value !== 'string')
    throw new StreamsConfigError(
      FIELD,
      `must be a string (none, all or a list of rules), got ${typeof value}`,
    );
  const list = value.trim().split(/\s*,\s*/);
  const accepted = `accepted: "none", "all" or a comma-separated list of ${RULES.map((r) => `"${r}"`).join(', ')}`;
  if ((list.includes('none') || list.includes('all')) && list.length > 1)
    throw new StreamsConfigError(FIELD, `"${value}" mixes none/all with other values; ${accepted}`);
  for (const rule of list) {
    if (rule !== 'none' && rule !== 'all' && !RULES.includes(rule))
      throw new StreamsConfigError(FIELD, `unknown optimization "${rule}"; ${accepted}`);
    if (NOT_IMPLEMENTED.has(rule))
      throw new StreamsConfigError(
        FIELD,
        `"${rule}" is not implemented by this library (only "${REUSE_KTABLE_SOURCE_TOPICS}" is; "all" applies it)`,
      );
  }
  if (list[0] === 'none') return new Set();
  return new Set([REUSE_KTABLE_SOURCE_TOPICS]);
}

/** A stable text of a rule set, for comparing the optimizations a topology was started with. */
export function describeOptimization(rules: ReadonlySet<TopologyOptimizationRule>): string {
  return rules.size === 0 ? 'none' : [...rules].sort().join(',');
}
