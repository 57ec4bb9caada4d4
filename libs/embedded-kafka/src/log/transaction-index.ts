/** A transaction that ended with an abort marker: its data lies in `[firstOffset, lastOffset)`. */
export interface AbortedTransaction {
  readonly producerId: number;
  readonly firstOffset: number;
  /** Offset of the abort marker. */
  readonly lastOffset: number;
}

/**
 * Per-partition transaction bookkeeping (Kafka's producer-state ongoing
 * transactions and `.txnindex`): the first offset of each open transaction, which
 * bounds the last stable offset, and the aborted transactions a read_committed
 * Fetch lists. Rebuilt from the log's batches on open.
 */
export class TransactionIndex {
  private readonly ongoing = new Map<number, number>();
  private aborted: AbortedTransaction[] = [];

  /** A transactional data batch of `producerId` was written at `offset`. */
  onData(producerId: number, offset: number): void {
    if (!this.ongoing.has(producerId)) this.ongoing.set(producerId, offset);
  }

  /** A marker ended `producerId`'s transaction at `markerOffset`. */
  onMarker(producerId: number, commit: boolean, markerOffset: number): void {
    const first = this.ongoing.get(producerId);
    this.ongoing.delete(producerId);
    if (!commit && first !== undefined)
      this.aborted.push({ producerId, firstOffset: first, lastOffset: markerOffset });
  }

  /** First offset of the oldest open transaction, or undefined when none is open. */
  firstUnstableOffset(): number | undefined {
    let min: number | undefined;
    for (const o of this.ongoing.values()) if (min === undefined || o < min) min = o;
    return min;
  }

  /** True when `producerId` has data written in a transaction that has not ended here. */
  hasOngoing(producerId: number): boolean {
    return this.ongoing.has(producerId);
  }

  /** Aborted transactions overlapping `[from, to)`, as a Fetch lists them. */
  abortedIn(from: number, to: number): { producerId: number; firstOffset: number }[] {
    const out: { producerId: number; firstOffset: number }[] = [];
    for (const a of this.aborted)
      if (a.lastOffset >= from && a.firstOffset < to)
        out.push({ producerId: a.producerId, firstOffset: a.firstOffset });
    return out;
  }

  /** True when the record of `producerId` at `offset` belongs to an aborted transaction. */
  isAborted(producerId: number, offset: number): boolean {
    return this.aborted.some(
      (a) => a.producerId === producerId && a.firstOffset <= offset && offset < a.lastOffset,
    );
  }

  /** Forgets aborted transactions wholly below `offset` (the log start moved). */
  dropBelow(offset: number): void {
    if (this.aborted.length > 0) this.aborted = this.aborted.filter((a) => a.lastOffset >= offset);
  }
}
