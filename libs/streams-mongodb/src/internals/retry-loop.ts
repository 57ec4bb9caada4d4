/** A pause that `wake()` ends early (used when the store closes during an outage). */
export class Sleeper {
  private timer: NodeJS.Timeout | null = null;
  private resolve: (() => void) | null = null;

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.resolve = resolve;
      this.timer = setTimeout(() => this.wake(), ms);
    });
  }

  wake(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const r = this.resolve;
    this.resolve = null;
    r?.();
  }
}

/** Exponential backoff: `initial * 2^(attempt-1)`, capped at `max`, with +-20% jitter. */
export function backoffMs(attempt: number, initial: number, max: number): number {
  const base = Math.min(max, initial * 2 ** Math.min(30, attempt - 1));
  return Math.max(1, Math.round(base * (0.8 + Math.random() * 0.4)));
}
