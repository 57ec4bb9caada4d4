/** A handle returned by {@link Scheduler.schedule}, passed back to {@link Scheduler.cancel}. */
export interface ScheduledTask {
  /** Time (ms, per {@link Scheduler.now}) at which the task runs. */
  readonly dueAt: number;
}

/**
 * Time source and timer facility of the group coordinator.
 *
 * The coordinator never touches `Date.now()` or `setTimeout` directly, so its
 * state machine can be driven by a fake clock in unit tests.
 */
export interface Scheduler {
  /** Current time in milliseconds since the epoch. */
  now(): number;
  /** Runs `task` once after `delayMs` milliseconds. */
  schedule(delayMs: number, task: () => void): ScheduledTask;
  /** Cancels a task that has not run yet; no-op otherwise. */
  cancel(task: ScheduledTask): void;
}

class TimerTask implements ScheduledTask {
  constructor(
    readonly dueAt: number,
    readonly timer: NodeJS.Timeout,
  ) {}
}

/**
 * Real timers: unref'd `setTimeout`s (they never keep the process alive), with
 * time read from `clock` (the broker's clock, `Date.now` by default).
 */
export class SystemScheduler implements Scheduler {
  constructor(private readonly clock: { now(): number } = { now: () => Date.now() }) {}

  now(): number {
    return this.clock.now();
  }

  schedule(delayMs: number, task: () => void): ScheduledTask {
    // setTimeout fires at once for delays above 2^31-1 ms: clamp instead.
    const delay = Math.min(Math.max(0, delayMs), 2 ** 31 - 1);
    const timer = setTimeout(task, delay);
    timer.unref();
    return new TimerTask(this.now() + delay, timer);
  }

  cancel(task: ScheduledTask): void {
    if (task instanceof TimerTask) clearTimeout(task.timer);
  }
}
