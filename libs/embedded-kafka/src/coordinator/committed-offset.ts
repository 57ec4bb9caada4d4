/** An offset a group has committed for one partition. */
export interface CommittedOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /**
   * Id of the topic the offset was committed for. A topic deleted and created
   * again gets a new id, which makes this offset stale (Kafka deletes the
   * offsets of deleted topics). Null when unknown.
   */
  readonly topicId: string | null;
  /** Client metadata string (`""` when none was given). */
  readonly metadata: string;
  /** When it was committed (ms since the epoch). */
  readonly commitTimestamp: number;
  /** Explicit expiry (OffsetCommit v2-4 with a retention time), or null for the broker's retention rules. */
  readonly expireTimestamp: number | null;
}
