import type { ScheduledTask, Scheduler } from '../../../src/coordinator/scheduler';

interface Task extends ScheduledTask {
  readonly seq: number;
  readonly run: () => void;
  cancelled: boolean;
}

/** A fake clock for the coordinator's state machine: time moves only in {@link advance}. */
export class ManualScheduler implements Scheduler {
  private time: number;
  private seq = 0;
  private tasks: Task[] = [];

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  schedule(delayMs: number, run: () => void): ScheduledTask {
    const task: Task = { dueAt: this.time + Math.max(0, delayMs), seq: this.seq++, run, cancelled: false };
    this.tasks.push(task);
    return task;
  }

  cancel(task: ScheduledTask): void {
    (task as Task).cancelled = true;
  }

  /** Moves time forward by `ms`, running every task that falls due, in due order. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      const due = this.tasks
        .filter((t) => !t.cancelled && t.dueAt <= target)
        .sort((a, b) => a.dueAt - b.dueAt || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.time = Math.max(this.time, due.dueAt);
      due.cancelled = true;
      due.run();
      await flushPromises();
    }
    this.tasks = this.tasks.filter((t) => !t.cancelled);
    this.time = target;
    await flushPromises();
  }

  /** Number of live timers (tests check nothing leaks after stop). */
  pendingTasks(): number {
    return this.tasks.filter((t) => !t.cancelled).length;
  }
}

/** Lets resolved promises' callbacks run. */
export async function flushPromises(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
