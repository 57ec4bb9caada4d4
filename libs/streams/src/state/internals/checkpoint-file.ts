import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The checkpoint file format version Kafka Streams writes (`OffsetCheckpoint`). */
export const CHECKPOINT_VERSION = 0;

/** A changelog partition and an offset in it. */
export interface TopicPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** What reading a checkpoint file found. */
export type CheckpointReadResult =
  | { readonly status: 'ok'; readonly offsets: readonly TopicPartitionOffset[] }
  | { readonly status: 'missing' }
  | { readonly status: 'corrupt'; readonly reason: string };

/**
 * Kafka Streams' `OffsetCheckpoint`: a text file of changelog offsets, written atomically
 * (temp file, fsync, rename):
 * ```
 * 0                 <- version
 * 2                 <- number of entries
 * app-store-changelog 0 1041
 * app-other-changelog 0 77
 * ```
 */
export class CheckpointFile {
  constructor(readonly path: string) {}

  /** Replaces the file with `offsets` (negative offsets are skipped, as Kafka Streams does). */
  async write(offsets: Iterable<TopicPartitionOffset>): Promise<void> {
    const valid = [...offsets].filter((o) => Number.isSafeInteger(o.offset) && o.offset >= 0);
    for (const o of valid) {
      if (/\s/.test(o.topic) || o.topic.length === 0)
        throw new TypeError(`checkpoint: illegal topic name "${o.topic}"`);
      if (!Number.isInteger(o.partition) || o.partition < 0)
        throw new TypeError(`checkpoint: illegal partition ${o.partition} of ${o.topic}`);
    }
    const text =
      [
        String(CHECKPOINT_VERSION),
        String(valid.length),
        ...valid.map((o) => `${o.topic} ${o.partition} ${o.offset}`),
      ].join('\n') + '\n';
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${randomBytes(4).toString('hex')}.tmp`;
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(tmp, this.path);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  /** Reads the file; a file that does not parse is reported `corrupt` (callers treat it as missing). */
  async read(): Promise<CheckpointReadResult> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
      return { status: 'corrupt', reason: `cannot read ${this.path}: ${(e as Error).message}` };
    }
    return parseCheckpoint(text);
  }

  /** Deletes the file if it exists. */
  async delete(): Promise<void> {
    await rm(this.path, { force: true });
  }
}

/** Parses checkpoint text (exported for tests). */
export function parseCheckpoint(text: string): CheckpointReadResult {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const corrupt = (reason: string): CheckpointReadResult => ({ status: 'corrupt', reason });
  if (lines.length < 2) return corrupt('checkpoint is truncated: expected a version and a count line');
  if (lines[0].trim() !== String(CHECKPOINT_VERSION))
    return corrupt(`unknown checkpoint version "${lines[0].slice(0, 20)}"`);
  if (!/^\d+$/.test(lines[1].trim()))
    return corrupt(`checkpoint count "${lines[1].slice(0, 20)}" is not a number`);
  const count = Number(lines[1].trim());
  const entries = lines.slice(2);
  if (entries.length !== count)
    return corrupt(`checkpoint announces ${count} entries but holds ${entries.length}`);
  const offsets: TopicPartitionOffset[] = [];
  for (const [i, line] of entries.entries()) {
    const parts = line.trim().split(/\s+/);
    if (parts.length !== 3 || !/^\d+$/.test(parts[1]) || !/^-?\d+$/.test(parts[2])) {
      return corrupt(`checkpoint line ${i + 3} is malformed`);
    }
    const offset = Number(parts[2]);
    if (offset < 0) continue;
    offsets.push({ topic: parts[0], partition: Number(parts[1]), offset });
  }
  return { status: 'ok', offsets };
}
