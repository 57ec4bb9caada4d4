import BTree from 'sorted-btree';
import type { ChangelogRecord, StateStore, StateStoreContext } from '../../processor/state-store';
import { InvalidStateStoreError } from '../errors';
import { compareKeyStrings, keyString } from './bytes';
import { changelogTopicName } from './forwarding-context';
import type { Headers } from '../../serialization/serde';

/** One buffered key: the latest update's old and new value, the record timestamp, the time it is due. */
export interface BufferedChange {
  readonly key: Buffer;
  /** The buffer time that orders evictions (window end, or the first buffered update's timestamp). */
  readonly time: number;
  readonly oldValue: Buffer | null;
  readonly newValue: Buffer | null;
  /**
   * The key's value before its first buffered update, i.e. what downstream last saw (Kafka Streams'
   * `priorValue`): the suppressed table's view answers it while the key is buffered.
   */
  readonly priorValue: Buffer | null;
  /** Timestamp of the latest buffered update (the emitted record's timestamp). */
  readonly timestamp: number;
  /** Headers of the latest buffered update (the emitted record's headers). */
  readonly headers: Headers;
}

type SortKey = readonly [number, string];
const compare = (a: SortKey, b: SortKey) => a[0] - b[0] || compareKeyStrings(a[1], b[1]);
const NULL_LENGTH = -1;
/** Changelog length of a prior value that is the old value itself (the key's first buffered update). */
const SAME_AS_OLD_LENGTH = -2;

function sizeOf(c: BufferedChange): number {
  const prior = c.priorValue === c.oldValue ? 0 : (c.priorValue?.length ?? 0);
  let headers = 0;
  for (const k in c.headers) headers += k.length + (c.headers[k]?.length ?? 0);
  return c.key.length + prior + (c.oldValue?.length ?? 0) + (c.newValue?.length ?? 0) + headers + 16;
}

/** The headers as changelog bytes: a count, then per header its name and value (-1: undefined). */
function encodeHeaders(headers: Headers): Buffer {
  const parts: Buffer[] = [];
  let count = 0;
  for (const name in headers) {
    const v = headers[name];
    const n = Buffer.from(name, 'utf8');
    const len = Buffer.allocUnsafe(4);
    len.writeInt32BE(n.length, 0);
    const vlen = Buffer.allocUnsafe(4);
    const value = v === undefined ? undefined : typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    vlen.writeInt32BE(value === undefined ? NULL_LENGTH : value.length, 0);
    parts.push(len, n, vlen, ...(value === undefined ? [] : [value]));
    count++;
  }
  const head = Buffer.allocUnsafe(4);
  head.writeInt32BE(count, 0);
  return Buffer.concat([head, ...parts]);
}

function decodeHeaders(v: Buffer, at: number): Headers {
  const headers: Headers = {};
  if (at >= v.length) return headers; // written before headers were kept
  const count = v.readInt32BE(at);
  at += 4;
  for (let i = 0; i < count; i++) {
    const nlen = v.readInt32BE(at);
    at += 4;
    const name = v.toString('utf8', at, at + nlen);
    at += nlen;
    const vlen = v.readInt32BE(at);
    at += 4;
    headers[name] = vlen === NULL_LENGTH ? undefined : Buffer.from(v.subarray(at, at + vlen));
    if (vlen > 0) at += vlen;
  }
  return headers;
}

/**
 * The suppression buffer (Kafka Streams' `InMemoryTimeOrderedKeyValueChangeBuffer`): per key the
 * latest change, ordered by buffer time then key bytes; a key updated again keeps its place. Every
 * put and eviction is written to `<applicationId>-<name>-changelog` (when logging), from which the
 * buffer is rebuilt on restart. Changelog value: time, timestamp (int64 BE each), then the old,
 * new and prior values, each as an int32 length (-1 = null; -2 = the prior value is the old value)
 * and bytes, then the latest update's headers (an int32 count, then per header its name and value,
 * each as an int32 length and bytes). A value without the prior value (written before it was kept)
 * restores it as the old value; one without headers restores none.
 */
export class InMemoryTimeOrderedBuffer implements StateStore {
  readonly persistent = false;
  private context: StateStoreContext | undefined;
  private readonly index = new Map<string, BufferedChange>();
  private readonly sorted = new BTree<SortKey, BufferedChange>(undefined, compare);
  private bytes = 0;
  private open = false;

  constructor(
    readonly name: string,
    private readonly loggingEnabled: boolean,
  ) {}

  init(context: StateStoreContext, root: StateStore): void {
    this.context = context;
    context.register(
      root,
      (batch) => this.restore(batch),
      this.loggingEnabled
        ? { changelogTopic: changelogTopicName(context.applicationId, this.name) }
        : undefined,
    );
    this.open = true;
  }

  isOpen(): boolean {
    return this.open;
  }
  flush(): void {}
  close(): void {
    this.open = false;
    this.index.clear();
    this.sorted.clear();
    this.bytes = 0;
  }

  get numRecords(): number {
    return this.index.size;
  }
  /** Bytes of keys and values held. */
  get bufferSize(): number {
    return this.bytes;
  }
  /** Smallest buffer time held (`Infinity` when empty). */
  get minTimestamp(): number {
    return this.sorted.minKey()?.[0] ?? Infinity;
  }

  /**
   * Buffers `key`'s latest change; a key already buffered keeps its time (non-resetting) and its
   * prior value (the old value of its first buffered update).
   */
  put(
    time: number,
    key: Buffer,
    oldValue: Buffer | null,
    newValue: Buffer | null,
    timestamp: number,
    headers: Headers = {},
  ): void {
    const k = keyString(key);
    const previous = this.index.get(k);
    const change: BufferedChange = {
      key,
      time: previous?.time ?? time,
      oldValue,
      newValue,
      priorValue: previous ? previous.priorValue : oldValue,
      timestamp,
      headers,
    };
    this.store(k, change, previous);
    this.log(change);
  }

  /**
   * `{ value }` with the prior value (see {@link BufferedChange.priorValue}) when `key` is buffered,
   * `undefined` when it is not (Kafka Streams' `priorValueForBuffered`).
   */
  priorValueForBuffered(key: Buffer): { value: Buffer | null } | undefined {
    const c = this.index.get(keyString(key));
    return c === undefined ? undefined : { value: c.priorValue };
  }

  /** Removes and passes to `emit` the oldest buffered changes while `predicate()` holds. */
  evictWhile(predicate: () => boolean, emit: (change: BufferedChange) => void): void {
    while (this.index.size > 0 && predicate()) {
      const [sortKey, change] = this.sorted.entries().next().value as [SortKey, BufferedChange];
      this.sorted.delete(sortKey);
      this.index.delete(sortKey[1]);
      this.bytes -= sizeOf(change);
      if (this.loggingEnabled) this.requireContext().logChange(this.name, change.key, null, change.timestamp);
      emit(change);
    }
  }

  private store(k: string, change: BufferedChange, previous: BufferedChange | undefined): void {
    if (previous) {
      this.sorted.delete([previous.time, k]);
      this.bytes -= sizeOf(previous);
    }
    this.index.set(k, change);
    this.sorted.set([change.time, k], change);
    this.bytes += sizeOf(change);
  }

  private log(change: BufferedChange): void {
    if (!this.loggingEnabled) return;
    const o = change.oldValue;
    const n = change.newValue;
    const p = change.priorValue === o ? undefined : change.priorValue;
    const h = encodeHeaders(change.headers);
    const out = Buffer.allocUnsafe(28 + (o?.length ?? 0) + (n?.length ?? 0) + (p?.length ?? 0) + h.length);
    out.writeBigInt64BE(BigInt(change.time), 0);
    out.writeBigInt64BE(BigInt(change.timestamp), 8);
    let at = 16;
    for (const v of [o, n, p]) {
      out.writeInt32BE(v === undefined ? SAME_AS_OLD_LENGTH : v === null ? NULL_LENGTH : v.length, at);
      at += 4;
      if (v) at += v.copy(out, at);
    }
    h.copy(out, at);
    this.requireContext().logChange(this.name, change.key, out, change.timestamp);
  }

  private restore(batch: readonly ChangelogRecord[]): void {
    for (const r of batch) {
      const k = keyString(r.key);
      const previous = this.index.get(k);
      if (r.value === null) {
        if (previous) {
          this.sorted.delete([previous.time, k]);
          this.index.delete(k);
          this.bytes -= sizeOf(previous);
        }
        continue;
      }
      const v = r.value;
      const values: Array<Buffer | null | undefined> = [];
      let at = 16;
      for (let i = 0; i < 3; i++) {
        if (at >= v.length) {
          values.push(undefined); // written before the prior value was kept
          continue;
        }
        const len = v.readInt32BE(at);
        at += 4;
        values.push(
          len === SAME_AS_OLD_LENGTH
            ? undefined
            : len === NULL_LENGTH
              ? null
              : Buffer.from(v.subarray(at, at + len)),
        );
        if (len > 0) at += len;
      }
      const oldValue = values[0] ?? null;
      const change: BufferedChange = {
        key: Buffer.from(r.key),
        time: Number(v.readBigInt64BE(0)),
        timestamp: Number(v.readBigInt64BE(8)),
        oldValue,
        newValue: values[1] ?? null,
        priorValue: values[2] === undefined ? oldValue : values[2],
        headers: decodeHeaders(v, at),
      };
      this.store(k, change, previous);
    }
  }

  private requireContext(): StateStoreContext {
    const c = this.context;
    if (c === undefined) throw new InvalidStateStoreError(`store ${this.name} is not initialized`);
    return c;
  }
}
