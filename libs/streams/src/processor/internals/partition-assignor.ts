import * as fs from 'node:fs';
import * as path from 'node:path';
import { PartitionAssignor } from '../../client/kafka-client';

/**
 * Assigns by partition number: partition `p` of every subscribed topic goes to the same member,
 * so co-partitioned topics (and every task reading partition `p`) stay on one instance.
 *
 * Sticky, for state: each member may claim the partition numbers it ran last (sent in its
 * subscription userData, see {@link SubscriptionInfo.claimedPartitions}); members with the fewest
 * claims are served first, each keeps its claims up to a balanced share (`floor(partitions /
 * members)`, at least 1), so a restarted instance gets back the tasks whose stores and checkpoints it has and
 * restores only their changelog tail. Unclaimed partitions go to the least-loaded member (ties by
 * member id). Without claims this deals partitions round-robin over the members sorted by id.
 */
export const copartitionedAssignor: PartitionAssignor = (memberIds, partitionsByTopic, userData) => {
  const plan = new Map<string, Map<string, number[]>>();
  for (const m of memberIds) plan.set(m, new Map());
  if (memberIds.length === 0) return plan;
  const max = Math.max(0, ...partitionsByTopic.values());
  const owner = assignPartitionNumbers(
    [...memberIds].sort(),
    max,
    (m) => decodeSubscriptionInfo(userData?.get(m)).claimedPartitions ?? [],
  );
  const topics = [...partitionsByTopic].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (let p = 0; p < max; p++) {
    const member = plan.get(owner[p])!;
    for (const [topic, count] of topics) {
      if (p >= count) continue;
      let list = member.get(topic);
      if (!list) member.set(topic, (list = []));
      list.push(p);
    }
  }
  return plan;
};

/** Owner of each partition number `0..count-1` (see {@link copartitionedAssignor}). */
export function assignPartitionNumbers(
  sortedMembers: readonly string[],
  count: number,
  claimsOf: (member: string) => readonly number[],
): string[] {
  const n = sortedMembers.length;
  // Claims are honoured up to the balanced floor, so claims never leave a member idle while another
  // holds more than its share; the rest is dealt to the least loaded.
  const capacity = Math.max(1, Math.floor(count / n));
  const owner: string[] = new Array(count);
  const load = new Map(sortedMembers.map((m) => [m, 0]));
  const claims = new Map(
    sortedMembers.map((m) => [
      m,
      [...new Set(claimsOf(m))]
        .filter((p) => Number.isInteger(p) && p >= 0 && p < count)
        .sort((a, b) => a - b),
    ]),
  );
  const byClaims = [...sortedMembers]
    .filter((m) => claims.get(m)!.length > 0)
    .sort((a, b) => claims.get(a)!.length - claims.get(b)!.length);
  for (const m of byClaims) {
    for (const p of claims.get(m)!) {
      if (owner[p] !== undefined || load.get(m)! >= capacity) continue;
      owner[p] = m;
      load.set(m, load.get(m)! + 1);
    }
  }
  let next = 0;
  for (let p = 0; p < count; p++) {
    if (owner[p] !== undefined) continue;
    let best = sortedMembers[next % n];
    for (let i = 0; i < n; i++) {
      const m = sortedMembers[(next + i) % n];
      if (load.get(m)! < load.get(best)!) best = m;
    }
    next++;
    owner[p] = best;
    load.set(best, load.get(best)! + 1);
  }
  return owner;
}

/** What a streams member tells the group in its subscription userData (Kafka Streams' `SubscriptionInfo`). */
export interface SubscriptionInfo {
  /** `host:port` of the member's query endpoint, when configured. */
  readonly applicationServer?: string;
  /** Partition numbers the member ran in its last assignment (kept on disk across restarts). */
  readonly claimedPartitions?: readonly number[];
}

const SUBSCRIPTION_VERSION = 1;

/** Encodes the subscription userData: a version-tagged JSON object. */
export function encodeSubscriptionInfo(info: SubscriptionInfo): Buffer {
  return Buffer.from(
    JSON.stringify({
      v: SUBSCRIPTION_VERSION,
      ...(info.applicationServer ? { applicationServer: info.applicationServer } : {}),
      ...(info.claimedPartitions?.length ? { claimedPartitions: info.claimedPartitions } : {}),
    }),
  );
}

/** Decodes userData written by `encodeSubscriptionInfo`; anything else (other clients, empty) gives `{}`. */
export function decodeSubscriptionInfo(data: Buffer | null | undefined): SubscriptionInfo {
  if (!data || data.length === 0 || data[0] !== 0x7b) return {};
  try {
    const o = JSON.parse(data.toString('utf8')) as {
      v?: unknown;
      applicationServer?: unknown;
      claimedPartitions?: unknown;
    };
    if (o.v !== SUBSCRIPTION_VERSION) return {};
    const claimed = Array.isArray(o.claimedPartitions)
      ? o.claimedPartitions.filter((p): p is number => Number.isInteger(p))
      : undefined;
    return {
      ...(typeof o.applicationServer === 'string' ? { applicationServer: o.applicationServer } : {}),
      ...(claimed?.length ? { claimedPartitions: claimed } : {}),
    };
  } catch {
    return {};
  }
}

/**
 * Remembers a stream thread's last assigned partition numbers in
 * `<stateDir>/<applicationId>/.assignment-<thread>.json`, so a restarted instance claims the
 * tasks whose local state it has (a missing or unreadable file claims nothing).
 */
export class AssignmentMemory {
  private readonly file: string;
  private current: number[];

  constructor(stateDir: string, applicationId: string, threadIndex: number) {
    this.file = path.join(stateDir, applicationId, `.assignment-${threadIndex}.json`);
    this.current = AssignmentMemory.read(this.file);
  }

  private static read(file: string): number[] {
    try {
      const v = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
      return Array.isArray(v) ? v.filter((p): p is number => Number.isInteger(p) && p >= 0) : [];
    } catch {
      return [];
    }
  }

  /** The partition numbers to claim at the next join. */
  claims(): number[] {
    return this.current;
  }

  /** Records a new assignment (partition numbers of any topic); failures to write are ignored. */
  save(assignment: Map<string, number[]>): void {
    const ps = new Set<number>();
    for (const list of assignment.values()) for (const p of list) ps.add(p);
    this.current = [...ps].sort((a, b) => a - b);
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.writeFileSync(this.file, JSON.stringify(this.current));
    } catch {
      // Only stickiness is lost.
    }
  }
}
