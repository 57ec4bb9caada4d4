import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { EmbeddedKafka, type EmbeddedKafkaOptions } from '../../../src';
import { defaultExtensions } from '../../../src/broker/default-extensions';
import { createGroupCoordinatorExtension } from '../../../src/coordinator';

/** Starts a broker on port 0 with the group coordinator and no initial rebalance delay. */
export async function startBroker(options: EmbeddedKafkaOptions = {}): Promise<EmbeddedKafka> {
  const builtIn = defaultExtensions().includes(createGroupCoordinatorExtension);
  return EmbeddedKafka.start({
    port: 0,
    groupInitialRebalanceDelayMs: 0,
    ...options,
    extensions: builtIn
      ? (options.extensions ?? [])
      : [createGroupCoordinatorExtension, ...(options.extensions ?? [])],
  });
}

/** A unique temp directory. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A kafkajs client for `bootstrap`, quiet unless something is wrong. */
export function kafkaClient(bootstrap: string, clientId = 'groups-test'): Kafka {
  return new Kafka({
    clientId,
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 1000 },
  });
}

/** Polls `condition` until it holds or `timeoutMs` passes. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
