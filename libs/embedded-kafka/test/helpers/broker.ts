import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

/** A unique temp dir for one test. */
export function tempDir(prefix = 'ek-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A kafkajs client for a broker, quiet. */
export function kafkaFor(bootstrap: string, clientId = 'test'): Kafka {
  return new Kafka({
    brokers: [bootstrap],
    clientId,
    logLevel: logLevel.NOTHING,
    retry: { retries: 3, initialRetryTime: 100 },
  });
}

/** Collects broker log lines (for asserting on logged reasons). */
export function memoryLogger() {
  const lines: string[] = [];
  return {
    lines,
    logger: {
      info: (m: string) => lines.push(`INFO ${m}`),
      warn: (m: string) => lines.push(`WARN ${m}`),
      error: (m: string) => lines.push(`ERROR ${m}`),
    },
  };
}
