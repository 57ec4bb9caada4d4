import type { KafkaStreams } from '../../src';

/**
 * The main of a streams application run as a child process by the crash and exactly-once tests:
 * starts `streams` (a failed start prints `start failed: <error>` and exits 1) and closes it
 * cleanly on SIGTERM within `closeTimeoutMs`, then exits 0.
 */
export function runChildStreams(streams: KafkaStreams, closeTimeoutMs = 20000): void {
  streams.start().catch((e) => {
    process.stderr.write(`start failed: ${e}\n`);
    process.exit(1);
  });
  process.on('SIGTERM', () => {
    void streams.close({ timeoutMs: closeTimeoutMs }).then(() => process.exit(0));
  });
}
