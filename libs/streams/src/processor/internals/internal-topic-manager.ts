import { NewTopic, StreamsAdmin } from '../../client/kafka-client';
import { StreamsError } from '../../errors/streams-error';
import { TopologyError } from '../../errors/topology-error';
import { Logger } from '../../logger';
import { InternalTopologyBuilder } from './internal-topology-builder';

/** What the runtime learned about topics before processing starts. */
export interface TopicLayout {
  /** Partition count per topic (decorated names): sources, internal topics, existing sinks. */
  readonly partitions: Map<string, number>;
  /** Decorated changelog topic per store name (only logged stores). */
  readonly changelogs: Map<string, string>;
}

/**
 * Checks source topics and co-partitioning, computes internal topic partition counts
 * (repartition: the max over the upstream sub-topologies' sources; changelog: the store's
 * sub-topology's partition count) and creates missing internal topics (Kafka Streams'
 * `InternalTopicManager` + `RepartitionTopics` + `CopartitionedTopicsEnforcer`).
 */
export async function prepareTopics(
  builder: InternalTopologyBuilder,
  admin: StreamsAdmin,
  applicationId: string,
  replicationFactor: number,
  deadLetterQueueTopic: string | undefined,
  logger: Logger,
): Promise<TopicLayout> {
  const decorate = (t: string) => (builder.internalTopics.has(t) ? `${applicationId}-${t}` : t);
  const subs = builder.subtopologies();
  const externalSources = [
    ...new Set([
      ...subs.flatMap((s) => s.sourceTopics).filter((t) => !builder.internalTopics.has(t)),
      // Global tables read external topics too (every partition, on every instance).
      ...builder.globalTopics(),
    ]),
  ];
  const sinkTopics = [
    ...new Set(subs.flatMap((s) => s.sinkTopics).filter((t) => !builder.internalTopics.has(t))),
  ];
  const existing = await admin.partitionCounts([...new Set([...externalSources, ...sinkTopics])]);
  const missing = externalSources.filter((t) => !existing.has(t));
  if (missing.length)
    throw new StreamsError(
      `Source topics do not exist: ${missing.join(', ')}; create them before starting the application`,
    );

  // Partition counts of undecorated topics (external + internal as computed).
  const count = new Map<string, number>(existing);
  for (const [name, def] of builder.internalTopics) if (def.numPartitions) count.set(name, def.numPartitions);
  const patternCount = async (): Promise<number> => {
    const patterns = subs.flatMap((s) => s.sourcePatterns);
    if (!patterns.length) return 0;
    const all = (await admin.listTopics()).filter((t) => patterns.some((p) => p.test(t)));
    const counts = await admin.partitionCounts(all);
    return Math.max(0, ...counts.values());
  };
  const patternMax = await patternCount();
  /**
   * A sub-topology's partition count: the largest of its source topics'. With `partial`, source
   * topics whose count is not known yet are skipped (Kafka Streams' `RepartitionTopics`), so that
   * repartition topics feeding each other in a cycle (a foreign-key join's subscription and
   * response topics) get counts from the topics that are known.
   */
  // Sub-topology ids are not array indexes: a global store's component takes a number too.
  const subById = new Map(subs.map((s) => [s.id, s]));
  const subPartitions = (id: number, partial = false): number | undefined => {
    const s = subById.get(id)!;
    const counts = s.sourceTopics.map((t) => count.get(t));
    if (!partial && counts.some((c) => c === undefined)) return undefined;
    const known = counts.filter((c): c is number => c !== undefined);
    const m = Math.max(0, ...known, s.sourcePatterns.length ? patternMax : 0);
    return m > 0 ? m : undefined;
  };
  // Repartition topics: fixed point over upstream sub-topologies, from complete information
  // first, and only when that is stuck (a cycle) from the known source topics.
  const computeRepartitionCounts = (partial: boolean): boolean => {
    let changed = false;
    for (const [name, def] of builder.internalTopics) {
      if (def.type !== 'repartition' || count.has(name)) continue;
      const writers = subs
        .filter((s) => s.sinkTopics.includes(name))
        .map((s) => subPartitions(s.id, partial));
      const known = writers.filter((w): w is number => w !== undefined);
      if (known.length && (partial || known.length === writers.length)) {
        count.set(name, Math.max(...known));
        changed = true;
      }
    }
    return changed;
  };
  for (let pass = 0; pass < 2 * builder.internalTopics.size + 1; pass++) {
    if (!computeRepartitionCounts(false) && !computeRepartitionCounts(true)) break;
  }
  for (const [name, def] of builder.internalTopics) {
    if (def.type === 'repartition' && !count.has(name))
      throw new TopologyError(`Cannot compute the partition count of repartition topic "${decorate(name)}"`);
  }
  // Co-partitioning: external topics must agree; internal ones follow them.
  for (const group of builder.copartitionGroups) {
    // External topics and internal ones with a fixed count (`repartition(...)`) must agree.
    const ext = group.filter(
      (t) => !builder.internalTopics.has(t) || builder.internalTopics.get(t)!.numPartitions,
    );
    const counts = ext.map((t) => `${decorate(t)}=${count.get(t)}`);
    if (new Set(ext.map((t) => count.get(t))).size > 1) {
      throw new TopologyError(
        `Topics must be co-partitioned (same partition count) but are not: ${counts.join(', ')}; ` +
          'repartition one side first with repartition(Repartitioned.withNumberOfPartitions(n))',
      );
    }
    const n = ext.length ? count.get(ext[0])! : Math.max(...group.map((t) => count.get(t) ?? 0));
    for (const t of group)
      if (builder.internalTopics.has(t) && !builder.internalTopics.get(t)!.numPartitions) count.set(t, n);
  }
  const toCreate: NewTopic[] = [];
  for (const [name, def] of builder.internalTopics) {
    toCreate.push({
      topic: decorate(name),
      numPartitions: count.get(name)!,
      replicationFactor,
      config: { 'cleanup.policy': 'delete', ...def.config },
    });
  }
  const changelogs = new Map<string, string>();
  for (const s of subs) {
    for (const storeName of s.storeNames) {
      const sb = builder.storeBuilders.get(storeName)!;
      if (!sb.loggingEnabled) continue;
      const topic = `${applicationId}-${storeName}-changelog`;
      changelogs.set(storeName, topic);
      const n = subPartitions(s.id);
      if (n === undefined)
        throw new TopologyError(`Cannot compute the partition count of changelog topic "${topic}"`);
      toCreate.push({
        topic,
        numPartitions: n,
        replicationFactor,
        config: { 'cleanup.policy': 'compact', ...sb.logConfig },
      });
      count.set(topic, n);
    }
  }
  if (deadLetterQueueTopic)
    toCreate.push({ topic: deadLetterQueueTopic, numPartitions: 1, replicationFactor, config: {} });
  const present = await admin.partitionCounts(toCreate.map((t) => t.topic));
  for (const t of toCreate) {
    const have = present.get(t.topic);
    if (have !== undefined && have !== t.numPartitions && t.topic !== deadLetterQueueTopic) {
      throw new TopologyError(
        `Internal topic "${t.topic}" exists with ${have} partitions but ${t.numPartitions} are required`,
      );
    }
  }
  const create = toCreate.filter((t) => !present.has(t.topic));
  if (create.length) {
    logger.info('Creating internal topics', { topics: create.map((t) => `${t.topic}(${t.numPartitions})`) });
    await admin.createTopics(create);
  }
  const partitions = new Map<string, number>();
  for (const [t, n] of count) partitions.set(decorate(t), n);
  for (const t of toCreate) partitions.set(t.topic, present.get(t.topic) ?? t.numPartitions);
  return { partitions, changelogs };
}
