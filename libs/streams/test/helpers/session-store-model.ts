/** One (key, start, end, value) row of a model store. */
export type SessionRow = { key: string; start: number; end: number; value: string };

/**
 * Brute-force model of a Kafka session store (`InMemorySessionStore`): one aggregate per (key,
 * start, end); every put and remove advances the observed stream time to the session's end; a
 * session whose end is `<= streamTime - retention` is expired: a put to it is dropped and no read
 * returns it. `findSessions(key, earliestEnd, latestStart)` returns the sessions with
 * `end >= earliestEnd` and `start <= latestStart`, by end then start (backward: the reverse).
 */
export class SessionStoreModel {
  private readonly rows = new Map<string, SessionRow>();
  /** The largest session end put so far. */
  streamTime = -1;

  constructor(private readonly retention: number) {}

  private live(end: number): boolean {
    return end > this.streamTime - this.retention;
  }

  put(key: string, start: number, end: number, value: string | null): void {
    this.streamTime = Math.max(this.streamTime, end);
    if (!this.live(end)) return;
    const id = `${key}\u0000${start}\u0000${end}`;
    if (value === null) this.rows.delete(id);
    else this.rows.set(id, { key, start, end, value });
  }

  findSessions(key: string, earliestEnd: number, latestStart: number): SessionRow[] {
    return [...this.rows.values()]
      .filter((r) => r.key === key && this.live(r.end) && r.end >= earliestEnd && r.start <= latestStart)
      .sort((a, b) => a.end - b.end || a.start - b.start);
  }

  fetchSession(key: string, start: number, end: number): string | null {
    const r = this.rows.get(`${key}\u0000${start}\u0000${end}`);
    return r && this.live(end) ? r.value : null;
  }
}
