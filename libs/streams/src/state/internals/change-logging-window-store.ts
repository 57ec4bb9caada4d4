import type { KeyValue, KeyValueIterator } from '../key-value';
import type { Windowed } from '../window';
import { ChangeLoggingStore } from './change-logging-store';
import type { SessionBytesStore, WindowBytesStore } from './window-bytes-store';
import type { LayeredStore } from './wrapped-state-store';

/** The store-key access both windowed layers share: writes by a key already built are logged under it. */
abstract class ChangeLoggingStoreKeyStore<
  S extends LayeredStore & Pick<WindowBytesStore, 'putStoreKey' | 'fetchStoreKey'>,
> extends ChangeLoggingStore<S> {
  putStoreKey(storeKey: Buffer, value: Buffer | null): Buffer | undefined {
    const written = this.inner.putStoreKey(storeKey, value);
    this.log(written, value);
    return written;
  }
  fetchStoreKey(storeKey: Buffer): Buffer | undefined {
    return this.inner.fetchStoreKey(storeKey);
  }
}

/**
 * Kafka Streams' `ChangeLoggingWindowBytesStore`: logs each write under its window store key
 * (`[key][windowStart][seqnum]`), the changelog layout Kafka Streams uses.
 */
export class ChangeLoggingWindowStore
  extends ChangeLoggingStoreKeyStore<WindowBytesStore>
  implements WindowBytesStore
{
  get retentionMs(): number {
    return this.inner.retentionMs;
  }
  get windowSizeMs(): number {
    return this.inner.windowSizeMs;
  }
  put(key: Buffer, value: Buffer | null, windowStart: number): Buffer | undefined {
    const storeKey = this.inner.put(key, value, windowStart);
    this.log(storeKey, value);
    return storeKey;
  }
  fetch(key: Buffer, windowStart: number): Buffer | undefined {
    return this.inner.fetch(key, windowStart);
  }
  windowsOf(
    key: Buffer,
    timeFrom: number,
    timeTo: number,
    reverse: boolean,
  ): KeyValue<number, Buffer>[] | undefined {
    return this.inner.windowsOf?.(key, timeFrom, timeTo, reverse);
  }
  fetchRange(
    key: Buffer,
    timeFrom: number,
    timeTo: number,
    reverse: boolean,
  ): KeyValueIterator<number, Buffer> {
    return this.inner.fetchRange(key, timeFrom, timeTo, reverse);
  }
  fetchKeyRange(
    keyFrom: Buffer | undefined,
    keyTo: Buffer | undefined,
    timeFrom: number,
    timeTo: number,
    reverse: boolean,
  ): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.inner.fetchKeyRange(keyFrom, keyTo, timeFrom, timeTo, reverse);
  }
  fetchAll(timeFrom: number, timeTo: number, reverse: boolean): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.inner.fetchAll(timeFrom, timeTo, reverse);
  }
  all(reverse?: boolean): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.inner.all(reverse);
  }
}

/**
 * Kafka Streams' `ChangeLoggingSessionBytesStore`: logs each write under its session store key
 * (`[key][end][start]`).
 */
export class ChangeLoggingSessionStore
  extends ChangeLoggingStoreKeyStore<SessionBytesStore>
  implements SessionBytesStore
{
  get retentionMs(): number {
    return this.inner.retentionMs;
  }
  put(session: Windowed<Buffer>, value: Buffer | null, recordKey?: string): Buffer | undefined {
    const storeKey = this.inner.put(session, value, recordKey);
    this.log(storeKey, value);
    return storeKey;
  }
  override putStoreKey(storeKey: Buffer, value: Buffer | null, recordKey?: string): Buffer | undefined {
    const written = this.inner.putStoreKey(storeKey, value, recordKey);
    this.log(written, value);
    return written;
  }
  fetchSession(key: Buffer, start: number, end: number): Buffer | undefined {
    return this.inner.fetchSession(key, start, end);
  }
  findSessions(
    key: Buffer,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
    reverse: boolean,
  ): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.inner.findSessions(key, earliestSessionEndTime, latestSessionStartTime, reverse);
  }
  sessionsOf(
    key: Buffer,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
    reverse: boolean,
    held?: (end: number, start: number) => boolean,
    recordKey?: string,
  ): KeyValue<Windowed<Buffer>, Buffer>[] {
    return this.inner.sessionsOf(
      key,
      earliestSessionEndTime,
      latestSessionStartTime,
      reverse,
      held,
      recordKey,
    );
  }
  findSessionsKeyRange(
    keyFrom: Buffer | undefined,
    keyTo: Buffer | undefined,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
    reverse: boolean,
  ): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.inner.findSessionsKeyRange(
      keyFrom,
      keyTo,
      earliestSessionEndTime,
      latestSessionStartTime,
      reverse,
    );
  }
}
