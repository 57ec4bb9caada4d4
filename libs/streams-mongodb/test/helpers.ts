/** Helpers of this package's tests only; the shared ones are in `@gmart/test-support`. */
import { CommandStartedEvent, MongoClient } from 'mongodb';

/** A driver client that records every `update` command (one per bulkWrite of upserts). */
export function monitoredClient(
  uri: string,
  options: { serverSelectionTimeoutMS?: number } = {},
): { client: MongoClient; updates: number[] } {
  const client = new MongoClient(uri, {
    monitorCommands: true,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 2000,
    heartbeatFrequencyMS: 500,
  });
  const updates: number[] = [];
  client.on('commandStarted', (e: CommandStartedEvent) => {
    if (e.commandName === 'update') updates.push((e.command.updates as unknown[]).length);
  });
  return { client, updates };
}

/**
 * A connected client whose later operations give up after `serverSelectionTimeoutMS` (short, for
 * tests of a server that goes away). Connecting is retried with fresh clients for up to 30 s: on a
 * loaded machine the server's first answer can take longer than the short timeout.
 */
export async function connectedClient(uri: string, serverSelectionTimeoutMS: number): Promise<MongoClient> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS });
    try {
      await client.connect();
      return client;
    } catch (e) {
      await client.close().catch(() => undefined);
      if (Date.now() > deadline) throw e;
    }
  }
}

export async function metricValue(
  registry: import('prom-client').Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const m = (await registry.getMetricsAsJSON()).find((x) => x.name === name);
  if (!m) return 0;
  return m.values
    .filter(
      (v) =>
        Object.entries(labels).every(([k, val]) => v.labels[k] === val) &&
        !String((v as { metricName?: string }).metricName ?? '').endsWith('_bucket'),
    )
    .reduce((s, v) => s + Number(v.value), 0);
}
