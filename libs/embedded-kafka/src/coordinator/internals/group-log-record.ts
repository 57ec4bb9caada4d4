import type { CommittedOffset } from '../committed-offset';

/**
 * One entry of the coordinator's durable log (the role `__consumer_offsets`
 * plays in Kafka). Later entries for the same key replace earlier ones; the
 * `*-delete` entries are tombstones.
 */
export type GroupLogRecord =
  | { readonly type: 'offset'; readonly groupId: string; readonly offset: CommittedOffset }
  | {
      readonly type: 'offset-delete';
      readonly groupId: string;
      readonly topic: string;
      readonly partition: number;
    }
  | {
      readonly type: 'group';
      readonly groupId: string;
      readonly generationId: number;
      readonly protocolType: string | null;
    }
  | { readonly type: 'group-delete'; readonly groupId: string };

/** What the log holds for one group after replay. */
export interface StoredGroup {
  generationId: number;
  protocolType: string | null;
  readonly offsets: Map<string, CommittedOffset>;
}

/** Key of an offset inside {@link StoredGroup.offsets}. */
export function offsetKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/**
 * Applies `record` to the replayed state `groups`, as both the loader and the
 * live compaction view do.
 */
export function applyRecord(groups: Map<string, StoredGroup>, record: GroupLogRecord): void {
  const existing = groups.get(record.groupId);
  switch (record.type) {
    case 'group-delete':
      groups.delete(record.groupId);
      return;
    case 'offset-delete':
      existing?.offsets.delete(offsetKey(record.topic, record.partition));
      return;
    case 'group': {
      const g = existing ?? { generationId: 0, protocolType: null, offsets: new Map() };
      g.generationId = record.generationId;
      g.protocolType = record.protocolType;
      groups.set(record.groupId, g);
      return;
    }
    case 'offset': {
      const g = existing ?? { generationId: 0, protocolType: null, offsets: new Map() };
      g.offsets.set(offsetKey(record.offset.topic, record.offset.partition), record.offset);
      groups.set(record.groupId, g);
      return;
    }
  }
}

/** Records that rebuild `groups` exactly (what compaction writes). */
export function snapshotRecords(groups: Map<string, StoredGroup>): GroupLogRecord[] {
  const out: GroupLogRecord[] = [];
  for (const [groupId, g] of groups) {
    out.push({ type: 'group', groupId, generationId: g.generationId, protocolType: g.protocolType });
    for (const offset of g.offsets.values()) out.push({ type: 'offset', groupId, offset });
  }
  return out;
}

const isInteger = (v: unknown): v is number => Number.isInteger(v);

/** Checks a decoded JSON value is a well-formed record; returns null otherwise. */
export function parseRecord(value: unknown): GroupLogRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Record<string, unknown>;
  const groupId = r['groupId'];
  if (typeof groupId !== 'string') return null;
  switch (r['type']) {
    case 'group-delete':
      return { type: 'group-delete', groupId };
    case 'offset-delete': {
      const { topic, partition } = r;
      return typeof topic === 'string' && isInteger(partition)
        ? { type: 'offset-delete', groupId, topic, partition }
        : null;
    }
    case 'group': {
      const { generationId, protocolType } = r;
      if (!isInteger(generationId)) return null;
      return {
        type: 'group',
        groupId,
        generationId,
        protocolType: typeof protocolType === 'string' ? protocolType : null,
      };
    }
    case 'offset': {
      const o = r['offset'];
      if (typeof o !== 'object' || o === null) return null;
      const { topic, partition, offset, metadata, topicId, commitTimestamp, expireTimestamp } = o as Record<
        string,
        unknown
      >;
      const ok =
        typeof topic === 'string' &&
        isInteger(partition) &&
        isInteger(offset) &&
        typeof metadata === 'string' &&
        (topicId === undefined || topicId === null || typeof topicId === 'string') &&
        typeof commitTimestamp === 'number' &&
        (expireTimestamp === null || typeof expireTimestamp === 'number');
      if (!ok) return null;
      return {
        type: 'offset',
        groupId,
        offset: {
          topic,
          partition,
          offset,
          metadata,
          topicId: topicId ?? null,
          commitTimestamp,
          expireTimestamp,
        },
      };
    }
    default:
      return null;
  }
}
