import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedMongo, MongoLoggers } from '@gmart/embedded-mongo';
import { maskPurchase, type Purchase, PurchaseGenerator, purchaseToJson } from '@gmart/gmart';

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

export function startMongo(dataDir?: string, port = 0): Promise<EmbeddedMongo> {
  return EmbeddedMongo.start({ port, ...(dataDir ? { dataDir } : {}), logger: MongoLoggers.silent() });
}

/** `count` masked purchases (as the masking service writes them), deterministic for `seed`. */
export function maskedPurchases(count: number, seed: number, suspectShare = 0.05): Purchase[] {
  return new PurchaseGenerator({ seed, customers: 200, suspectEmployeeShare: suspectShare })
    .take(count)
    .map(maskPurchase);
}

export function json(p: Purchase): string {
  return JSON.stringify(purchaseToJson(p));
}

export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 60000,
  what = 'condition',
): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      if (await cond()) return;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
}
