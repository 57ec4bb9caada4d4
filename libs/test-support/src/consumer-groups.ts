import type { Kafka } from 'kafkajs';
import { waitFor } from './wait-for';

/** Committed offsets of `groupId` on `topic`, by partition (-1 where nothing is committed). */
export async function committedOffsets(
  kafka: Kafka,
  groupId: string,
  topic: string,
): Promise<Map<number, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const res = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map(res[0].partitions.map((p) => [p.partition, Number(p.offset)]));
  } finally {
    await admin.disconnect();
  }
}

/** Committed offset of one partition of `topic` for `groupId` (-1 when none). */
export async function committedOffset(
  kafka: Kafka,
  groupId: string,
  topic: string,
  partition = 0,
): Promise<number> {
  return (await committedOffsets(kafka, groupId, topic)).get(partition) ?? -1;
}

/** A consumer group as the coordinator describes it. */
export interface GroupView {
  readonly state: string;
  readonly members: number;
}

/** `groupId`'s state (`Stable`, `Empty`, `PreparingRebalance`, ...) and member count. */
export async function describeGroup(kafka: Kafka, groupId: string): Promise<GroupView> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    const g = groups[0];
    return { state: g?.state ?? 'Dead', members: g?.members.length ?? 0 };
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until `groupId` is `Stable` with `members` members (any number when omitted), or `Empty`
 * when `members` is 0: e.g. before producing to a group that must see every record as a member,
 * or after closing clients, so the next test does not meet a rebalance in progress.
 */
export async function waitForGroup(
  kafka: Kafka,
  groupId: string,
  members?: number,
  timeoutMs = 60_000,
): Promise<void> {
  const want = members === 0 ? 'Empty' : `Stable with ${members ?? 'any number of'} members`;
  let last: GroupView | undefined;
  try {
    await waitFor(
      async () => {
        last = await describeGroup(kafka, groupId);
        if (members === 0) return last.state === 'Empty' || last.state === 'Dead';
        return last.state === 'Stable' && (members === undefined || last.members === members);
      },
      timeoutMs,
      `group ${groupId} to be ${want}`,
      100,
    );
  } catch (e) {
    const seen = last ? `${last.state} with ${last.members} members` : 'nothing';
    throw new Error(`${(e as Error).message}; last seen: ${seen}`, { cause: e });
  }
}
