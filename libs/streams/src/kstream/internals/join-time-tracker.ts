/**
 * Stream time shared by the two processors of one stream-stream join in one task (Kafka Streams'
 * `KStreamImplJoin.TimeTracker`): the largest timestamp either side has seen, and a lower bound
 * of the timestamps waiting in the outer-join store (to skip scans that cannot emit anything).
 */
export class JoinTimeTracker {
  /** Largest timestamp seen on either side; -1 before the first record. */
  streamTime = -1;
  /** `MAX_SAFE_INTEGER` while unknown (then the next scan runs). */
  minTime = Number.MAX_SAFE_INTEGER;

  advanceStreamTime(timestamp: number): void {
    if (timestamp > this.streamTime) this.streamTime = timestamp;
  }

  updatedMinTime(timestamp: number): void {
    if (timestamp < this.minTime) this.minTime = timestamp;
  }
}

/** One {@link JoinTimeTracker} per task, shared by the join's two processors (`TimeTrackerSupplier`). */
export class JoinTimeTrackerSupplier {
  private readonly trackers = new Map<string, JoinTimeTracker>();

  get(taskId: string): JoinTimeTracker {
    let t = this.trackers.get(taskId);
    if (!t) this.trackers.set(taskId, (t = new JoinTimeTracker()));
    return t;
  }

  remove(taskId: string): void {
    this.trackers.delete(taskId);
  }
}
