import { AssignerProtocol, type Admin } from 'kafkajs';

/** One row of `kafka-consumer-groups.sh --describe` (a partition, or a member without partitions). */
export interface ConsumerGroupRow {
  readonly group: string;
  /** `-` for a member with no assigned partition. */
  readonly topic: string;
  readonly partition: number | undefined;
  /** Committed offset; undefined when the group has none for the partition. */
  readonly currentOffset: number | undefined;
  readonly logEndOffset: number | undefined;
  /** `logEndOffset - currentOffset`; undefined without a committed offset. */
  readonly lag: number | undefined;
  /** Member that owns the partition; undefined when no member does. */
  readonly consumerId: string | undefined;
  readonly host: string | undefined;
  readonly clientId: string | undefined;
}

/** A consumer group as `--describe` reports it. */
export interface ConsumerGroupDescription {
  readonly group: string;
  /** The coordinator's group state (`Stable`, `Empty`, `PreparingRebalance`, ... or `Dead` when unknown). */
  readonly state: string;
  readonly members: number;
  readonly rows: ConsumerGroupRow[];
}

interface Owner {
  consumerId: string;
  host: string;
  clientId: string;
}

/** The partitions a member's assignment names (standard consumer protocol); none when it cannot be read. */
function assignedPartitions(assignment: Buffer): Record<string, number[]> {
  try {
    return AssignerProtocol.MemberAssignment.decode(assignment)?.assignment ?? {};
  } catch {
    return {};
  }
}

/**
 * Describes `group` as `kafka-consumer-groups.sh --describe --group` does: for every partition the
 * group has a committed offset on or a member is assigned, the committed offset, the log-end
 * offset (high watermark), the lag and the owning member (id, host, client id); a member with no
 * partition gets a row of its own. Rows sorted by topic and partition.
 */
export async function describeConsumerGroup(admin: Admin, group: string): Promise<ConsumerGroupDescription> {
  const { groups } = await admin.describeGroups([group]);
  const g = groups[0];
  const owners = new Map<string, Owner>();
  const idleMembers: Owner[] = [];
  for (const m of g?.members ?? []) {
    const owner = { consumerId: m.memberId, host: m.clientHost, clientId: m.clientId };
    const assigned = assignedPartitions(m.memberAssignment);
    let any = false;
    for (const [topic, partitions] of Object.entries(assigned)) {
      for (const p of partitions) {
        owners.set(`${topic}\u0000${p}`, owner);
        any = true;
      }
    }
    if (!any) idleMembers.push(owner);
  }
  const committed = await admin.fetchOffsets({ groupId: group });
  const offsets = new Map<string, number | undefined>();
  for (const t of committed) {
    for (const p of t.partitions) {
      const o = Number(p.offset);
      if (o >= 0) offsets.set(`${t.topic}\u0000${p.partition}`, o);
    }
  }
  const keys = new Set([...offsets.keys(), ...owners.keys()]);
  const topics = [...new Set([...keys].map((k) => k.split('\u0000')[0]!))].sort();
  const ends = new Map<string, number>();
  for (const topic of topics) {
    for (const o of await admin.fetchTopicOffsets(topic))
      ends.set(`${topic}\u0000${o.partition}`, Number(o.high));
  }
  const rows: ConsumerGroupRow[] = [...keys]
    .map((k) => {
      const [topic, partition] = k.split('\u0000') as [string, string];
      const current = offsets.get(k);
      const end = ends.get(k);
      const owner = owners.get(k);
      return {
        group,
        topic,
        partition: Number(partition),
        currentOffset: current,
        logEndOffset: end,
        lag: current !== undefined && end !== undefined ? Math.max(0, end - current) : undefined,
        consumerId: owner?.consumerId,
        host: owner?.host,
        clientId: owner?.clientId,
      };
    })
    .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition! - b.partition!));
  for (const m of idleMembers) {
    rows.push({
      group,
      topic: '-',
      partition: undefined,
      currentOffset: undefined,
      logEndOffset: undefined,
      lag: undefined,
      ...m,
    });
  }
  return { group, state: g?.state ?? 'Dead', members: g?.members.length ?? 0, rows };
}

const HEADERS = [
  'GROUP',
  'TOPIC',
  'PARTITION',
  'CURRENT-OFFSET',
  'LOG-END-OFFSET',
  'LAG',
  'CONSUMER-ID',
  'HOST',
  'CLIENT-ID',
] as const;

const dash = (v: string | number | undefined) => (v === undefined ? '-' : String(v));

/**
 * The text `kafka-consumer-groups.sh --describe` prints: a note when the group has no active
 * members, then the column headers and one left-aligned row per partition, columns separated by
 * at least one space.
 */
export function formatConsumerGroup(d: ConsumerGroupDescription): string {
  const lines: string[] = [];
  if (d.members === 0) lines.push(`Consumer group '${d.group}' has no active members.`, '');
  if (d.rows.length === 0 && d.members === 0 && d.state === 'Dead') {
    return `Error: Consumer group '${d.group}' does not exist.\n`;
  }
  const table = [
    [...HEADERS],
    ...d.rows.map((r) => [
      r.group,
      r.topic,
      dash(r.partition),
      dash(r.currentOffset),
      dash(r.logEndOffset),
      dash(r.lag),
      dash(r.consumerId),
      r.host === undefined ? '-' : r.host.startsWith('/') ? r.host : `/${r.host}`,
      dash(r.clientId),
    ]),
  ];
  const widths = HEADERS.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table)
    lines.push(
      row
        .map((c, i) => c.padEnd(widths[i]!))
        .join(' ')
        .trimEnd(),
    );
  return `${lines.join('\n')}\n`;
}
