import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedMongo, MongoLoggers } from '@gmart/embedded-mongo';
import { CommandStartedEvent, MongoClient } from 'mongodb';

export const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };

const created: string[] = [];

/** A fresh directory under the OS temp dir, removed by {@link removeTempDirs}. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  created.push(dir);
  return dir;
}

/** Removes every directory made by {@link tempDir} in this test file. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

afterAll(() => removeTempDirs());

export async function startMongo(dataDir?: string, port = 0): Promise<EmbeddedMongo> {
  return EmbeddedMongo.start({ port, ...(dataDir ? { dataDir } : {}), logger: MongoLoggers.silent() });
}

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

export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 60000,
  what = 'condition',
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
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
