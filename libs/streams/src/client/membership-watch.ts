/**
 * Tells, at each completed join of a group member, whether the partitions it held were lost rather
 * than revoked (Kafka's consumer calls `onPartitionsLost` instead of `onPartitionsRevoked` when its
 * member id or generation was reset by an error): kafkajs and @platformatic/kafka rejoin at once
 * when a heartbeat is refused with UNKNOWN_MEMBER_ID (a new member id), and may rejoin without
 * telling the listener of the rebalance. A join is a loss when
 * - the member id changed (the old membership ended: its session expired, it was evicted), or
 * - the generation changed while the client reported no rebalance (no revocation) since the last join.
 * A rejoin into the same generation with the same member id (kafkajs rejoins after a metadata
 * refresh; the coordinator answers a stable group's member at once) loses nothing.
 */
export class MembershipWatch {
  private last: { readonly memberId: string; readonly generationId: number } | null = null;
  private revoked = false;

  /** The client reported a rebalance to the listener (`onRebalancing`): the next join follows a revocation. */
  revoking(): void {
    this.revoked = true;
  }

  /** A join completed as `memberId` in `generationId`: true when the partitions held before were lost. */
  joined(memberId: string, generationId: number): boolean {
    const last = this.last;
    const lost =
      last !== null && (last.memberId !== memberId || (last.generationId !== generationId && !this.revoked));
    this.last = { memberId, generationId };
    this.revoked = false;
    return lost;
  }
}
