import * as fs from 'node:fs';
import * as path from 'node:path';
import { scanForCardNumbers } from '@gmart/gmart';
import { readCommitted } from '@gmart/test-support';
import { MongoClient } from 'mongodb';
import { Invariants, type Scenario } from '../scenario';

/**
 * After every other scenario: every topic of the broker but the raw inputs (where the generator
 * writes card numbers in clear by design) and the broker's own `__` topics, every log and
 * `/metrics` snapshot of the run directory (services, broker, MongoDB), every dead-letter topic and
 * every document of every collection the scenarios wrote is scanned for Luhn-valid 13-19 digit
 * numbers (`@gmart/gmart`'s `scanForCardNumbers`). Invariant: none found. As a check of the scan
 * itself, the raw inputs must show card numbers.
 */
export const panScan: Scenario = {
  name: 'pan-scan',
  summary: 'scan every topic, log, metric, DLQ and collection for card numbers in clear: none',
  defaultRecords: 0,
  async run(env) {
    const findings: string[] = [];
    const scan = (where: string, text: string) => {
      for (const f of scanForCardNumbers(text)) findings.push(`${where}: ${f.masked}`);
    };
    const topics = (await env.kafka.admin().listTopics()).filter((t) => !t.startsWith('__')).sort();
    let scannedRecords = 0;
    let rawWithCards = 0;
    let scannedTopics = 0;
    let dlqTopics = 0;
    for (const t of topics) {
      const records = await readCommitted(env.kafka, t, 300_000);
      if (env.rawTopics.has(t)) {
        rawWithCards += records.filter(
          (r) => scanForCardNumbers(r.value?.toString('latin1') ?? '').length > 0,
        ).length;
        continue;
      }
      scannedTopics++;
      if (t.endsWith('-dlq')) dlqTopics++;
      for (const r of records) {
        scannedRecords++;
        const where = `${t}-${r.partition}@${r.offset}`;
        scan(where, [r.key ?? '', r.value?.toString('latin1') ?? '', ...Object.values(r.headers)].join('\n'));
      }
    }
    let files = 0;
    for (const f of fs.readdirSync(env.logsDir).sort()) {
      files++;
      scan(f, fs.readFileSync(path.join(env.logsDir, f), 'latin1'));
    }
    let documents = 0;
    let collections = 0;
    const client = new MongoClient(env.mongoUri, { serverSelectionTimeoutMS: 10_000 });
    try {
      await client.connect();
      for (const db of [...env.databases].sort()) {
        for (const c of await client.db(db).listCollections().toArray()) {
          collections++;
          for await (const doc of client.db(db).collection(c.name).find()) {
            documents++;
            scan(`${db}.${c.name}`, JSON.stringify(doc));
          }
        }
      }
    } finally {
      await client.close();
    }
    const inv = new Invariants();
    inv.check(
      findings.length === 0,
      `${findings.length} card numbers in clear: ${findings.slice(0, 5).join('; ')}`,
    );
    inv.check(
      rawWithCards > 0 || env.rawTopics.size === 0,
      'the scan found no card number in the raw inputs',
    );
    return {
      recordsIn: scannedRecords + documents,
      note:
        `${scannedTopics} topics (${dlqTopics} DLQs, ${scannedRecords.toLocaleString('en-US')} records), ` +
        `${files} logs/metrics files, ${collections} collections (${documents.toLocaleString('en-US')} docs): ` +
        `${findings.length} PANs; raw inputs: ${rawWithCards.toLocaleString('en-US')} with PANs (excluded)`,
      failures: inv.failures,
    };
  },
};
