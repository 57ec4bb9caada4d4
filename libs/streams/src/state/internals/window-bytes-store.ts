import type { StateStore } from '../../processor/state-store';
import type { KeyValueIterator } from '../key-value';
import type { Windowed } from '../window';

/** The bytes window store API the window layers share (see {@link SegmentedWindowBytesStore}). */
export interface WindowBytesStore extends StateStore {
  readonly storeType: string;
  readonly retentionMs: number;
  readonly windowSizeMs: number;
  put(key: Buffer, value: Buffer | null, windowStart: number): Buffer | undefined;
  fetch(key: Buffer, windowStart: number): Buffer | undefined;
  fetchRange(
    key: Buffer,
    timeFrom: number,
    timeTo: number,
    reverse: boolean,
  ): KeyValueIterator<number, Buffer>;
  fetchKeyRange(
    keyFrom: Buffer | undefined,
    keyTo: Buffer | undefined,
    timeFrom: number,
    timeTo: number,
    reverse: boolean,
  ): KeyValueIterator<Windowed<Buffer>, Buffer>;
  fetchAll(timeFrom: number, timeTo: number, reverse: boolean): KeyValueIterator<Windowed<Buffer>, Buffer>;
  all(reverse?: boolean): KeyValueIterator<Windowed<Buffer>, Buffer>;
  approximateNumEntries(): number;
}

/** The bytes session store API the session layers share (see {@link SegmentedSessionBytesStore}). */
export interface SessionBytesStore extends StateStore {
  readonly storeType: string;
  readonly retentionMs: number;
  put(session: Windowed<Buffer>, value: Buffer | null): Buffer | undefined;
  fetchSession(key: Buffer, start: number, end: number): Buffer | undefined;
  findSessions(
    key: Buffer,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
    reverse: boolean,
  ): KeyValueIterator<Windowed<Buffer>, Buffer>;
  findSessionsKeyRange(
    keyFrom: Buffer | undefined,
    keyTo: Buffer | undefined,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
    reverse: boolean,
  ): KeyValueIterator<Windowed<Buffer>, Buffer>;
  approximateNumEntries(): number;
}
