import type { Consumer } from '@platformatic/kafka' with { 'resolution-mode': 'import' };
import { StreamsError } from '../../errors/streams-error';
import type { Logger } from '../../logger';
import type { GlobalConsumer, GlobalFetchedBatch, TopicPartitionOffset } from '../kafka-client';
import { toFetchedPartition } from './platformatic-fetched-partition';
import { platformaticKafka } from './platformatic-module';

/** Kafka's ListOffsets timestamp of the earliest offset. */
const EARLIEST = -2n;
/** Kafka error codes the loop handles: OFFSET_OUT_OF_RANGE, and those after which metadata is refreshed. */
const OFFSET_OUT_OF_RANGE = 1;
const RETRIABLE = new Set([3, 5, 6, 13, 15, 56, 74, 75, 100]);

/** Fetch options of the consumer config this consumer reads (kafkajs names, as the runtime's). */
interface FetchOptions {
  maxWaitTimeInMs?: number;
  maxBytes?: number;
  maxBytesPerPartition?: number;
}

const key = (topic: string, partition: number) => `${partition}\u0000${topic}`;

/**
 * The global consumer on @platformatic/kafka: Kafka's manual assignment, which this client offers
 * as plain fetches. A consumer that never joins a group fetches every partition of the topics from
 * their leaders, from the given positions (else the earliest offset). It fetches ahead: the next
 * fetch is sent before the batches of the previous one are handed over, so reading overlaps the
 * store's writes. Partitions added to a topic while running are picked up at the next metadata
 * refresh. An offset out of range (the topic was truncated under the position) stops it with an
 * error, as Kafka Streams' global thread does.
 */
export class PlatformaticGlobalConsumer implements GlobalConsumer {
  private consumer: Consumer | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly positions = new Map<string, { topic: string; partition: number; offset: number }>();

  constructor(
    private readonly base: Readonly<Record<string, unknown>>,
    private readonly clientId: string,
    private readonly options: FetchOptions,
    private readonly logger: Logger,
  ) {}

  async run(
    topics: readonly string[],
    positions: readonly TopicPartitionOffset[],
    onBatch: (batch: GlobalFetchedBatch) => Promise<void>,
    listener: { onCrash?(error: Error): void },
  ): Promise<void> {
    const { Consumer } = platformaticKafka();
    this.consumer = new Consumer({
      ...this.base,
      clientId: this.clientId,
      groupId: `${this.clientId}-unused`, // required by the client; never joined
      autocommit: false,
    } as never) as Consumer;
    for (const p of positions) this.positions.set(key(p.topic, p.partition), { ...p });
    await this.addPartitions(topics);
    this.running = true;
    this.loop = this.fetchLoop(topics, onBatch).catch((error: Error) => {
      if (this.running) listener.onCrash?.(error);
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    try {
      await this.consumer?.close(true);
    } catch (error) {
      this.logger.debug('Closing the global consumer failed', { error });
    }
  }

  /** Gives partitions without a position (new ones included) the earliest offset. */
  private async addPartitions(topics: readonly string[]): Promise<void> {
    const c = this.consumer!;
    const md = await c.metadata({ topics: [...topics] });
    const missing: Record<string, number[]> = {};
    for (const topic of topics) {
      const tm = md.topics.get(topic);
      if (!tm) throw new StreamsError(`Global topic "${topic}" does not exist`);
      for (let p = 0; p < tm.partitions.length; p++)
        if (!this.positions.has(key(topic, p))) (missing[topic] ??= []).push(p);
    }
    const names = Object.keys(missing);
    if (names.length === 0) return;
    const offsets = await c.listOffsets({ topics: names, partitions: missing, timestamp: EARLIEST });
    for (const topic of names)
      for (const partition of missing[topic])
        this.positions.set(key(topic, partition), {
          topic,
          partition,
          offset: Number(offsets.get(topic)?.[partition] ?? 0n),
        });
  }

  private fetchOnce(topics: readonly string[]) {
    const c = this.consumer!;
    const o = this.options;
    return (async () => {
      const md = await c.metadata({ topics: [...topics] });
      const byNode = new Map<
        number,
        Array<{ topicId: string; partitions: Array<Record<string, unknown>> }>
      >();
      const idToTopic = new Map<string, string>();
      let unknown = false;
      for (const pos of this.positions.values()) {
        const tm = md.topics.get(pos.topic);
        const leader = tm?.partitions[pos.partition]?.leader;
        if (!tm || leader === undefined) continue;
        idToTopic.set(tm.id, pos.topic);
        let list = byNode.get(leader);
        if (!list) byNode.set(leader, (list = []));
        let entry = list.find((e) => e.topicId === tm.id);
        if (!entry) list.push((entry = { topicId: tm.id, partitions: [] }));
        entry.partitions.push({
          partition: pos.partition,
          fetchOffset: BigInt(pos.offset),
          partitionMaxBytes: o.maxBytesPerPartition ?? 1048576,
          currentLeaderEpoch: -1,
          lastFetchedEpoch: -1,
        });
      }
      for (const t of topics)
        if ((md.topics.get(t)?.partitions.length ?? 0) > this.countOf(t)) unknown = true;
      const responses = await Promise.all(
        [...byNode].map(([node, ts]) =>
          c.fetch({
            node,
            topics: ts as never,
            maxWaitTime: o.maxWaitTimeInMs ?? 500,
            minBytes: 1,
            maxBytes: o.maxBytes ?? 50 * 1024 * 1024,
          }),
        ),
      );
      const batches: GlobalFetchedBatch[] = [];
      for (const res of responses)
        for (const t of res.responses) {
          const topic = idToTopic.get(t.topicId);
          if (!topic) continue;
          for (const p of t.partitions) {
            const pos = this.positions.get(key(topic, p.partitionIndex));
            if (!pos) continue;
            if (p.errorCode === OFFSET_OUT_OF_RANGE)
              throw new StreamsError(
                `Global consumer: offset ${pos.offset} of ${topic}-${p.partitionIndex} is out of range (the topic was truncated); restart to read it again`,
              );
            if (p.errorCode !== 0) {
              if (!RETRIABLE.has(p.errorCode))
                throw new StreamsError(
                  `Global consumer: fetching ${topic}-${p.partitionIndex} failed with error code ${p.errorCode}`,
                );
              continue; // the next round refreshes the metadata
            }
            const fetched = toFetchedPartition(p, pos.offset);
            if (fetched.nextOffset > pos.offset) {
              // Positions move as soon as a response is read: the next fetch goes out before these are applied.
              pos.offset = fetched.nextOffset;
              batches.push({
                topic,
                partition: p.partitionIndex,
                records: fetched.records,
                nextOffset: fetched.nextOffset,
              });
            }
          }
        }
      return { batches, newPartitions: unknown };
    })();
  }

  private countOf(topic: string): number {
    let n = 0;
    for (const p of this.positions.values()) if (p.topic === topic) n++;
    return n;
  }

  private async fetchLoop(
    topics: readonly string[],
    onBatch: (batch: GlobalFetchedBatch) => Promise<void>,
  ): Promise<void> {
    let ahead = this.fetchOnce(topics);
    while (this.running) {
      const { batches, newPartitions } = await ahead;
      if (!this.running) return;
      if (newPartitions) await this.addPartitions(topics);
      ahead = this.fetchOnce(topics);
      ahead.catch(() => undefined); // awaited next round; a rejection before that is not unhandled
      for (const b of batches) {
        if (!this.running) return;
        await onBatch(b);
      }
    }
    await ahead.catch(() => undefined);
  }
}
