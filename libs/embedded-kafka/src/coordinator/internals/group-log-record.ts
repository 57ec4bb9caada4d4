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

/** Checks a decoded JSON value is a well-formed record; returns null otherwise. */
export function parseRecord(value: unknown): GroupLogRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Record<string, unknown>;
  if (typeof r['groupId'] !== 'string') return null;
  switch (r['type']) {
    case 'group-delete':
      return r as unknown as GroupLogRecord;
    case 'offset-delete':
      return typeof r['topic'] === 'string' && Number.isInteger(r['partition'])
        ? (r as unknown as GroupLogRecord)
        : null;
    case 'group':
      return Number.isInteger(r['generationId']) ? (r as unknown as GroupLogRecord) : null;
    case 'offset': {
      const o = r['offset'] as Record<string, unknown> | undefined;
      if (typeof o !== 'object' || o === null) return null;
      const ok =
        typeof o['topic'] === 'string' &&
        Number.isInteger(o['partition']) &&
        Number.isInteger(o['offset']) &&
        typeof o['metadata'] === 'string' &&
        (o['topicId'] === undefined || o['topicId'] === null || typeof o['topicId'] === 'string') &&
        typeof o['commitTimestamp'] === 'number' &&
        (o['expireTimestamp'] === null || typeof o['expireTimestamp'] === 'number');
      if (!ok) return null;
      return {
        type: 'offset',
        groupId: r['groupId'] as string,
        offset: {
          ...(o as unknown as CommittedOffset),
          topicId: (o['topicId'] as string | null | undefined) ?? null,
        },
      };
    }
    default:
      return null;
  }
}
