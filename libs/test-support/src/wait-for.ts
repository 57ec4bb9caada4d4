import * as net from 'node:net';

/**
 * Polls `cond` every `intervalMs` until it returns true; throws naming `what` (and the last error
 * `cond` threw, if any) after `timeoutMs`. Use it instead of a fixed sleep before an assertion.
 */
export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
  what = 'condition',
  intervalMs = 50,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      if (await cond()) return;
    } catch (e) {
      last = e;
    }
    await sleep(intervalMs);
  }
  const cause = last instanceof Error ? ` (last error: ${last.message})` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
}

/**
 * Polls `probe` (as {@link waitFor}) until it gives a value other than `undefined`, and returns that
 * value; throws naming `what` after `timeoutMs`.
 */
export async function waitForValue<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 60_000,
  what = 'a value',
  intervalMs = 50,
): Promise<T> {
  let value: T | undefined;
  await waitFor(async () => (value = await probe()) !== undefined, timeoutMs, what, intervalMs);
  return value as T;
}

/** Resolves once a TCP connection to `host:port` succeeds (the server listens); throws after `timeoutMs`. */
export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 30_000): Promise<void> {
  await waitFor(() => canConnect(port, host), timeoutMs, `${host}:${port} to accept connections`);
}

/** Whether a TCP connection to `host:port` succeeds now. */
export function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** A promise resolved after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
