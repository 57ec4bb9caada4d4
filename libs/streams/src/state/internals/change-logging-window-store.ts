import type { StateStore, StateStoreContext } from '../../processor/state-store';
import { InvalidStateStoreError } from '../errors';
import type { KeyValueIterator } from '../key-value';
import type { Windowed } from '../window';
import { ChangelogRegistrationContext, changelogTopicName } from './forwarding-context';
import type { SessionBytesStore, WindowBytesStore } from './window-bytes-store';

/** Base of the change-logging window and session layers: registration with the changelog topic, logging. */
abstract class ChangeLoggingSegmentedStore<
  S extends StateStore & { storeType: string; retentionMs: number },
> {
  private context: StateStoreContext | undefined;

  constructor(readonly inner: S) {}

  get name(): string {
    return this.inner.name;
  }
  get persistent(): boolean {
    return this.inner.persistent;
  }
  get storeType(): string {
    return this.inner.storeType;
  }
  get retentionMs(): number {
    return this.inner.retentionMs;
  }

  init(context: StateStoreContext, root: StateStore): void | Promise<void> {
    this.context = context;
    return this.inner.init(
      new ChangelogRegistrationContext(context, changelogTopicName(context.applicationId, this.name)),
      root,
    );
  }
  isOpen(): boolean {
    return this.inner.isOpen();
  }
  flush(): void | Promise<void> {
    return this.inner.flush();
  }
  close(): void | Promise<void> {
    return this.inner.close();
  }

  protected log(storeKey: Buffer | undefined, value: Buffer | null): void {
    if (storeKey === undefined) return;
    const context = this.context;
    if (context === undefined) throw new InvalidStateStoreError(`store ${this.name} is not initialized`);
    context.logChange(this.name, storeKey, value, context.currentTimestamp());
  }
}

/**
 * Kafka Streams' `ChangeLoggingWindowBytesStore`: logs each write under its window store key
 * (`[key][windowStart][seqnum]`), the changelog layout Kafka Streams uses.
 */
export class ChangeLoggingWindowStore
  extends ChangeLoggingSegmentedStore<WindowBytesStore>
  implements WindowBytesStore
{
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
  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }
}

/**
 * Kafka Streams' `ChangeLoggingSessionBytesStore`: logs each write under its session store key
 * (`[key][end][start]`).
 */
export class ChangeLoggingSessionStore
  extends ChangeLoggingSegmentedStore<SessionBytesStore>
  implements SessionBytesStore
{
  put(session: Windowed<Buffer>, value: Buffer | null): Buffer | undefined {
    const storeKey = this.inner.put(session, value);
    this.log(storeKey, value);
    return storeKey;
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
  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }
}
