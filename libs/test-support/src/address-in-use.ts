import { sleep } from './wait-for';

/** How a restart on a remembered port retries while the port is still taken. */
export interface AddressInUseRetry {
  /** Attempts in all, the first included (default 20). */
  readonly attempts?: number;
  /** Pause between attempts (ms, default 250). */
  readonly delayMs?: number;
  /** Called before each retry with the attempt that failed (1-based) and its error. */
  readonly onRetry?: (failedAttempt: number, error: unknown) => void;
}

/** Whether `e` (or an error in its `cause` chain) is an `EADDRINUSE` from `listen`. */
export function isAddressInUse(e: unknown): boolean {
  for (let x: unknown = e; x && typeof x === 'object'; x = (x as { cause?: unknown }).cause) {
    if ((x as { code?: unknown }).code === 'EADDRINUSE') return true;
  }
  return false;
}

/**
 * Runs `start` and, while it fails because its port is in use, runs it again after a pause, a
 * bounded number of times; the last error is thrown when every attempt failed. A server restarted
 * on the port it had (to keep clients' addresses) can meet the port still held: by the old
 * listener's sockets closing, or by another process that took the freed port meanwhile.
 */
export async function retryOnAddressInUse<T>(
  start: () => Promise<T>,
  retry: AddressInUseRetry = {},
): Promise<T> {
  const attempts = retry.attempts ?? 20;
  const delayMs = retry.delayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (e) {
      if (!isAddressInUse(e) || attempt >= attempts) throw e;
      retry.onRetry?.(attempt, e);
      await sleep(delayMs);
    }
  }
}
