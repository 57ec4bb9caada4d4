import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { EmbeddedKafka } from '@gmart/embedded-kafka';
import { consume, startBroker } from '@gmart/test-support';
import { ConfigResourceTypes, type Kafka } from 'kafkajs';
import { GmartSerdes, STOCK_COMPANIES, StockGenerator, type StockTransaction } from '../src';
import { parseGenerateStocksOptions } from '../src/cli/generate-stocks-options';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(__dirname, '..', 'src', 'cli', 'generate-stocks.ts');
const START = '2026-03-01T09:30:00.000Z';

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@gmart/source', '-r', '@swc-node/register', CLI, ...args],
    { cwd: ROOT, env: { ...process.env, KAFKA_BROKERS: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('generate:stocks options', () => {
  it('reads topics from TOPIC_* and rejects bad values naming the flag or variable', () => {
    const o = parseGenerateStocksOptions(['--rate', '50'], { TOPIC_COMPANIES: 'firms' }, 0);
    expect(o.topics).toMatchObject({ COMPANIES: 'firms', STOCK_TRANSACTIONS: 'stock-transactions' });
    expect(o).toMatchObject({ rate: 50, count: undefined, tickerEvery: 5, clients: 100 });
    expect(() => parseGenerateStocksOptions(['--ticker-every', '0'], {})).toThrow(
      /--ticker-every must be between 1/,
    );
    expect(() => parseGenerateStocksOptions([], { TOPIC_CLIENTS: 'bad name' })).toThrow(/TOPIC_CLIENTS/);
    expect(() => parseGenerateStocksOptions(['--nope'], {})).toThrow(/nope/);
  });
});

describe('generate:stocks CLI against the embedded broker', () => {
  let broker: EmbeddedKafka;
  let kafka: Kafka;

  beforeAll(async () => {
    ({ broker, kafka } = await startBroker({ clientId: 'stocks-cli-test' }));
  });
  afterAll(async () => broker?.stop());

  it('writes the reference topics (compacted), --count transactions keyed by symbol and the tickers', async () => {
    const count = 400;
    const run = await runCli([
      ...['--brokers', broker.bootstrapServers, '--count', String(count), '--rate', '5000'],
      ...['--seed', '5', '--clients', '25', '--start-time', START, '--ticker-every', '4'],
    ]);
    expect(run.stderr).not.toMatch(/failed/);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toMatchObject({ topic: 'stock-transactions', sent: count });

    const admin = kafka.admin();
    await admin.connect();
    const total = async (topic: string) =>
      (await admin.fetchTopicOffsets(topic)).reduce((s, o) => s + Number(o.high), 0);
    expect(await total('stock-transactions')).toBe(count);
    expect(await total('companies')).toBe(STOCK_COMPANIES.length);
    expect(await total('clients')).toBe(25);
    expect(await total('stock-ticker-table')).toBe(count / 4);
    expect(await total('stock-ticker-stream')).toBe(count / 4);
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: ['companies', 'clients', 'stock-transactions'].map((name) => ({
        type: ConfigResourceTypes.TOPIC,
        name,
      })),
    });
    const policy = (name: string) =>
      configs.resources
        .find((r) => r.resourceName === name)!
        .configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue;
    expect(policy('companies')).toBe('compact');
    expect(policy('clients')).toBe('compact');
    expect(policy('stock-transactions')).not.toBe('compact');
    await admin.disconnect();

    // The transactions are the seeded generator's, keyed by their symbol.
    const d = GmartSerdes.StockTransaction().deserializer();
    const got: StockTransaction[] = (await consume(kafka, 'stock-transactions', count)).map((r) => {
      const t = d.deserialize('stock-transactions', r.value)!;
      expect(r.key).toBe(t.symbol);
      return t;
    });
    const g = new StockGenerator({
      seed: 5,
      clients: 25,
      startTime: Date.parse(START),
      intervalMs: 1000 / 5000,
    });
    const expected = Array.from({ length: count }, () => g.nextTransaction());
    const order = (a: StockTransaction, b: StockTransaction) =>
      a.transactionTimestamp - b.transactionTimestamp || JSON.stringify(a).localeCompare(JSON.stringify(b));
    expect(got.sort(order)).toEqual(expected.sort(order));
  });

  it('rejects a bad flag with a message and exit code 2', async () => {
    const run = await runCli(['--rate', 'fast']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--rate must be a whole number, got "fast"/);
    expect(run.stderr).toMatch(/Usage: npm run generate:stocks/);
  });
});
