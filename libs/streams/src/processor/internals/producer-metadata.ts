import { Logger } from '../../logger';

/** Looks up the partition count of existing topics (absent topics are left out). */
export type PartitionCountLookup = (topics: string[]) => Promise<Map<string, number>>;

/**
 * The partition counts the producer side partitions by, kept current as Kafka's producer keeps its
 * metadata: every count is refreshed once it is older than `maxAgeMs` (`metadata.max.age.ms`), so
 * partitions added to a sink topic while the application runs are used without a restart, and a
 * topic seen for the first time (e.g. named by a `TopicNameExtractor`) is looked up before its first
 * record is sent. Refreshes run beside sending; counts only grow (Kafka cannot remove partitions).
 */
export class ProducerMetadata {
  private readonly counts: Map<string, number>;
  private lastRefresh: number;
  private refreshing: Promise<void> | null = null;

  constructor(
    initial: ReadonlyMap<string, number>,
    private readonly lookup: PartitionCountLookup,
    private readonly maxAgeMs: number,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.counts = new Map(initial);
    this.lastRefresh = now();
  }

  /** The known partition count of `topic`, or undefined. */
  partitions(topic: string): number | undefined {
    return this.counts.get(topic);
  }

  /** Starts a refresh of every known topic when the counts are older than `maxAgeMs`; never waits. */
  refreshIfStale(): void {
    if (this.refreshing || this.now() - this.lastRefresh < this.maxAgeMs) return;
    this.refreshing = this.fetch([...this.counts.keys()]).finally(() => {
      this.lastRefresh = this.now();
      this.refreshing = null;
    });
  }

  /** Looks up the topics among `topics` whose count is unknown; resolves when known (or absent). */
  async learn(topics: Iterable<string>): Promise<void> {
    const unknown = [...new Set(topics)].filter((t) => !this.counts.has(t));
    if (unknown.length) await this.fetch(unknown);
  }

  private async fetch(topics: string[]): Promise<void> {
    if (topics.length === 0) return;
    try {
      const found = await this.lookup(topics);
      for (const [topic, n] of found) {
        const before = this.counts.get(topic);
        if (before === undefined || n > before) {
          if (before !== undefined)
            this.logger.info('Sink topic has more partitions now; using them', {
              topic,
              before,
              partitions: n,
            });
          this.counts.set(topic, n);
        }
      }
    } catch (error) {
      // The producer keeps its last counts; the next refresh tries again.
      this.logger.warn('Refreshing partition metadata failed', { error });
    }
  }
}
