import { GroupMemberDescription } from '../../client/kafka-client';
import { HostInfo, KeyQueryMetadata, parseHostInfo, StreamsMetadata } from '../../state/streams-metadata';
import { InternalTopologyBuilder } from './internal-topology-builder';
import { defaultPartition } from './murmur2';
import { decodeSubscriptionInfo } from './partition-assignor';
import { topicDecorator } from './processor-topology';

/**
 * The instance's view of which `applicationServer` hosts which partitions and stores, rebuilt from
 * the group description after each rebalance (Kafka Streams' `StreamsMetadataState`).
 */
export class StreamsMetadataState {
  private hosts: StreamsMetadata[] = [];
  private readonly decorate: (t: string) => string;

  constructor(
    private readonly builder: InternalTopologyBuilder,
    applicationId: string,
    private readonly partitionCounts: () => Map<string, number>,
  ) {
    this.decorate = topicDecorator(builder, applicationId);
  }

  /** True once a complete group description has been applied. */
  get known(): boolean {
    return this.hosts.length > 0;
  }

  /** Rebuilds the view from the members' subscriptions and assignments. */
  update(members: readonly GroupMemberDescription[]): void {
    const subs = this.builder.subtopologies();
    const next: StreamsMetadata[] = [];
    for (const m of members) {
      const server = decodeSubscriptionInfo(m.userData).applicationServer;
      if (!server) continue;
      const topicPartitions: { topic: string; partition: number }[] = [];
      const stores = new Set<string>();
      for (const [topic, partitions] of m.assignment) {
        for (const p of partitions) topicPartitions.push({ topic, partition: p });
        for (const s of subs)
          if (partitions.length && s.sourceTopics.some((t) => this.decorate(t) === topic))
            for (const n of s.storeNames) stores.add(n);
      }
      next.push({ hostInfo: parseHostInfo(server), stateStoreNames: [...stores].sort(), topicPartitions });
    }
    this.hosts = next;
  }

  /** Instances with tasks of `storeName` (all instances when `storeName` is undefined). */
  allMetadataForStore(storeName?: string): StreamsMetadata[] {
    return storeName === undefined
      ? [...this.hosts]
      : this.hosts.filter((h) => h.stateStoreNames.includes(storeName));
  }

  /**
   * The instance hosting `serializedKey` of `storeName`: the store's first source topic's
   * partition for the key (murmur2 unless `partitioner` says otherwise), then its owner.
   * `undefined` when the store is unknown or the owner is not known (yet).
   */
  metadataForKey(
    storeName: string,
    serializedKey: Buffer,
    partitioner?: (numPartitions: number) => number | undefined,
  ): KeyQueryMetadata | undefined {
    const sub = this.builder.subtopologies().find((s) => s.storeNames.includes(storeName));
    if (!sub || sub.sourceTopics.length === 0) return undefined;
    const topic = this.decorate([...sub.sourceTopics].sort()[0]);
    const count = this.partitionCounts().get(topic);
    if (!count) return undefined;
    const partition = partitioner?.(count) ?? defaultPartition(serializedKey, count);
    const owner = this.hosts.find((h) =>
      h.topicPartitions.some((tp) => tp.topic === topic && tp.partition === partition),
    );
    if (!owner) return undefined;
    const activeHost: HostInfo = owner.hostInfo;
    return { activeHost, standbyHosts: [], partition };
  }

  /** True when `storeName` is a store of the topology. */
  hasStore(storeName: string): boolean {
    return this.builder.storeBuilders.has(storeName);
  }
}
