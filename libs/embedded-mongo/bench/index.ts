/**
 * Benchmark: bulkWrite upserts (the storage sink's pattern: `updateOne` with `upsert: true` keyed
 * by `_id`, `ordered: false`) through the official driver over TCP. One line per case.
 *
 *   npm run bench -w @gmart/embedded-mongo
 */
import { benchCommandLine } from '@gmart/command-line';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AnyBulkWriteOperation, MongoClient } from 'mongodb';
import { EmbeddedMongo, FsyncPolicy, MongoLoggers } from '../src';

const USAGE = `Usage: npm run bench -w @gmart/embedded-mongo

bulkWrite upserts through the official driver over TCP, one line per case.

  -h, --help   show this help
`;

// The benchmark takes no flags (its settings are environment variables).
benchCommandLine('bench @gmart/embedded-mongo', USAGE);

type PurchaseDoc = { _id: string } & Record<string, unknown>;

interface Case {
  readonly name: string;
  readonly batchSize: number;
  readonly batches: number;
  readonly fsync: FsyncPolicy;
  /** Upsert ids already present (a replay) instead of new ones. */
  readonly replay: boolean;
  /** Run the server as a CLI child process (its own event loop) instead of in this process. */
  readonly child?: boolean;
}

const CASES: Case[] = [
  {
    name: 'bulkWrite upsert new ids, 1000/batch, fsync=interval',
    batchSize: 1000,
    batches: 50,
    fsync: 'interval',
    replay: false,
  },
  {
    name: 'bulkWrite upsert existing ids (replay), 1000/batch, fsync=interval',
    batchSize: 1000,
    batches: 50,
    fsync: 'interval',
    replay: true,
  },
  {
    name: 'bulkWrite upsert new ids, 1000/batch, fsync=always',
    batchSize: 1000,
    batches: 30,
    fsync: 'always',
    replay: false,
  },
  {
    name: 'bulkWrite upsert new ids, 100/batch, fsync=interval',
    batchSize: 100,
    batches: 200,
    fsync: 'interval',
    replay: false,
  },
  {
    name: 'bulkWrite upsert new ids, 1000/batch, fsync=interval, server in a child process',
    batchSize: 1000,
    batches: 50,
    fsync: 'interval',
    replay: false,
    child: true,
  },
];

function purchase(i: number): Record<string, unknown> {
  return {
    customerId: `c-${i % 977}`,
    storeId: `s-${i % 31}`,
    employeeId: String(i % 1000).padStart(6, '0'),
    item: 'widget',
    quantity: 1 + (i % 5),
    price: 5 + (i % 100) / 10,
    creditCardNumber: 'xxxx-xxxx-xxxx-1234',
    purchaseDate: new Date(1_700_000_000_000 + i * 1000),
    zipCode: '12345',
  };
}

interface RunningServer {
  readonly uri: string;
  stop(): Promise<void>;
}

async function startInProcess(dataDir: string, fsync: FsyncPolicy): Promise<RunningServer> {
  const mongo = await EmbeddedMongo.start({ dataDir, fsync, logger: MongoLoggers.console('warn') });
  return { uri: mongo.uri, stop: () => mongo.stop() };
}

function startChild(dataDir: string, fsync: FsyncPolicy): Promise<RunningServer> {
  const cli = path.join(__dirname, '..', 'src', 'cli.ts');
  const child = spawn(
    process.execPath,
    [
      '--conditions=@gmart/source',
      '-r',
      '@swc-node/register',
      cli,
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--fsync',
      fsync,
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (mongodb:\/\/\S+)/.exec(out);
      if (m) {
        resolve({
          uri: m[1],
          stop: () =>
            new Promise<void>((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`server child exited with ${code}`)));
  });
}

async function run(c: Case, quiet = false): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-mongo-bench-'));
  const server = c.child ? await startChild(dataDir, c.fsync) : await startInProcess(dataDir, c.fsync);
  const client = await MongoClient.connect(server.uri);
  try {
    const collection = client.db('bench').collection<PurchaseDoc>('purchases');
    await collection.createIndexes([{ key: { purchaseDate: 1 } }, { key: { customerId: 1 } }]);
    const ops = (b: number): AnyBulkWriteOperation<PurchaseDoc>[] =>
      Array.from({ length: c.batchSize }, (_, j) => {
        const i = b * c.batchSize + j;
        return {
          updateOne: { filter: { _id: `purchases-0-${i}` }, update: { $set: purchase(i) }, upsert: true },
        };
      });
    if (c.replay) for (let b = 0; b < c.batches; b++) await collection.bulkWrite(ops(b), { ordered: false });
    const start = process.hrtime.bigint();
    for (let b = 0; b < c.batches; b++) await collection.bulkWrite(ops(b), { ordered: false });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const docs = c.batches * c.batchSize;
    const stored = await collection.countDocuments();
    if (stored !== docs) throw new Error(`expected ${docs} documents, found ${stored}`);
    if (!quiet)
      console.log(
        `${c.name}: ${Math.round(docs / seconds).toLocaleString('en-US')} docs/s (${docs} docs in ${seconds.toFixed(2)} s)`,
      );
  } finally {
    await client.close();
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

(async () => {
  // warm-up (JIT) run, not reported
  await run({ name: 'warm-up', batchSize: 1000, batches: 20, fsync: 'never', replay: false }, true);
  for (const c of CASES) await run(c);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
