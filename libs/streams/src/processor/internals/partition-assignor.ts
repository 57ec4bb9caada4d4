import { PartitionAssignor } from '../../client/kafka-client';

/**
 * Assigns by partition number: partition `p` of every subscribed topic goes to the same member,
 * so co-partitioned topics (and every task reading partition `p`) stay on one instance.
 * Partition numbers are dealt round-robin over the members sorted by id.
 */
export const copartitionedAssignor: PartitionAssignor = (memberIds, partitionsByTopic) => {
  const plan = new Map<string, Map<string, number[]>>();
  for (const m of memberIds) plan.set(m, new Map());
  if (memberIds.length === 0) return plan;
  const max = Math.max(0, ...partitionsByTopic.values());
  for (let p = 0; p < max; p++) {
    const member = plan.get(memberIds[p % memberIds.length])!;
    for (const [topic, count] of [...partitionsByTopic].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (p >= count) continue;
      let list = member.get(topic);
      if (!list) member.set(topic, (list = []));
      list.push(p);
    }
  }
  return plan;
};
