import { Cancellable, Punctuator } from '../punctuation';

interface Schedule {
  /** The scheduling node's name (for errors). */
  readonly nodeName: string;
  readonly intervalMs: number;
  readonly punctuator: Punctuator;
  nextTime: number;
  cancelled: boolean;
}

/** Punctuations of one `PunctuationType` for one task, fired when its time passes their next time. */
export class PunctuationQueue {
  private schedules: Schedule[] = [];

  schedule(nodeName: string, intervalMs: number, punctuator: Punctuator, now: number): Cancellable {
    const s: Schedule = {
      nodeName,
      intervalMs,
      punctuator,
      nextTime: now < 0 ? -1 : now + intervalMs,
      cancelled: false,
    };
    this.schedules.push(s);
    return {
      cancel: () => {
        s.cancelled = true;
        this.schedules = this.schedules.filter((x) => x !== s);
      },
    };
  }

  get size(): number {
    return this.schedules.length;
  }

  /** Fires every due punctuator once; returns true when any fired. */
  mayPunctuate(
    now: number,
    run: (nodeName: string, punctuator: Punctuator, timestamp: number) => void,
  ): boolean {
    let fired = false;
    for (const s of [...this.schedules]) {
      if (s.cancelled) continue;
      if (s.nextTime < 0) {
        s.nextTime = now;
      }
      if (now >= s.nextTime) {
        const at = s.nextTime;
        // Skip missed intervals: one punctuation per call, next one aligned on the interval grid.
        s.nextTime = at + Math.max(1, Math.floor((now - at) / s.intervalMs) + 1) * s.intervalMs;
        run(s.nodeName, s.punctuator, now);
        fired = true;
      }
    }
    return fired;
  }
}
