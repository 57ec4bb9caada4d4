import type { Admin } from 'kafkajs';
import { TopicProvisioningError } from '../errors/deploy-error';
import type { TopicSpec } from './topic-spec';

/** The part of a kafkajs `Admin` that {@link ensureTopics} uses. */
export type TopicAdmin = Pick<Admin, 'listTopics' | 'createTopics' | 'fetchTopicMetadata'>;

/** What {@link ensureTopics} did. */
export interface EnsureTopicsReport {
  /** Topics created by this call. */
  readonly created: string[];
  /** Topics that already existed with at least the requested partitions. */
  readonly existing: string[];
  /** Existing topics with fewer partitions than requested (left unchanged: repartitioning breaks keyed data). */
  readonly fewerPartitions: { topic: string; actual: number; requested: number }[];
}

/**
 * Creates every topic of `specs` that does not exist yet (idempotent: safe to run on every deploy).
 * Existing topics are never altered; ones with fewer partitions than requested are reported.
 */
export async function ensureTopics(
  admin: TopicAdmin,
  specs: readonly TopicSpec[],
): Promise<EnsureTopicsReport> {
  const present = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !present.has(s.name));
  if (missing.length > 0) {
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({
          topic: s.name,
          numPartitions: s.partitions,
          replicationFactor: s.replicationFactor,
          configEntries: Object.entries(s.configs).map(([name, value]) => ({ name, value })),
        })),
      });
    } catch (err) {
      // A concurrent creator (another Job, another replica) is fine: re-check below.
      const again = new Set(await admin.listTopics());
      const stillMissing = missing.filter((s) => !again.has(s.name)).map((s) => s.name);
      if (stillMissing.length > 0) {
        throw new TopicProvisioningError(
          `creating topics ${stillMissing.join(', ')} failed: ${(err as Error).message}`,
          {
            retriable: true,
            cause: err,
          },
        );
      }
    }
  }
  const existingSpecs = specs.filter((s) => present.has(s.name));
  const fewerPartitions: EnsureTopicsReport['fewerPartitions'] = [];
  if (existingSpecs.length > 0) {
    const metadata = await admin.fetchTopicMetadata({ topics: existingSpecs.map((s) => s.name) });
    for (const t of metadata.topics) {
      const requested = existingSpecs.find((s) => s.name === t.name)?.partitions ?? 0;
      if (t.partitions.length < requested)
        fewerPartitions.push({ topic: t.name, actual: t.partitions.length, requested });
    }
  }
  return { created: missing.map((s) => s.name), existing: existingSpecs.map((s) => s.name), fewerPartitions };
}
