/**
 * Exactly-once with librdkafka clients (`npm run test:interop`): a python3-confluent-kafka
 * transactional producer writes the input (committed and aborted transactions); the streams
 * counting application (`exactly_once_v2`, a child process) reads it and is `kill -9`-ed inside a
 * transaction whose records are already on the broker, then restarted, fencing and aborting it.
 * kcat and python3-confluent-kafka reading with `isolation.level=read_committed` see only committed
 * data: the python producer's committed records on the input, every count exactly once on the
 * output (the aborted copies are there for `read_uncommitted`). The application's committed
 * offsets reach the input's end offsets past the python producer's markers (lag 0).
 */
import { execFile, spawn } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import {
  committedOffsets,
  createTopics,
  killChildApps,
  startBroker,
  tempDir,
  waitFor,
  type Consumed,
  type TestBroker,
} from '@gmart/test-support';
import { expectEveryCountOnce, startCountingInstance } from '../helpers/eos-counting';

jest.setTimeout(180000);
const execFileAsync = promisify(execFile);
const SCRIPT = path.join(__dirname, 'confluent_eos.py');
const APP = { applicationId: 'interop-eos', input: 'interop-eos-in', output: 'interop-eos-out' };

/** Runs the python helper (asynchronously: the broker runs in this process); its last stdout line is JSON. */
async function python(args: string[]): Promise<Array<[string | null, string]>> {
  const { stdout } = await execFileAsync('/usr/bin/python3', [SCRIPT, ...args], { timeout: 90_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Array<[string | null, string]>;
}

/** Reads a whole topic with kcat (`key<TAB>value` lines) in the given isolation level. */
function kcat(brokers: string, topic: string, isolation: string): Promise<Array<[string, string]>> {
  return new Promise((resolve, reject) => {
    const cp = spawn(
      'kcat',
      [
        '-C',
        '-b',
        brokers,
        '-t',
        topic,
        '-X',
        `isolation.level=${isolation}`,
        '-o',
        'beginning',
        '-e',
        '-q',
        '-f',
        '%k\\t%s\\n',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    cp.stdout.on('data', (d) => (out += d));
    cp.stderr.on('data', (d) => (err += d));
    cp.on('error', reject);
    cp.on('close', (code) =>
      code === 0
        ? resolve(
            out
              .split('\n')
              .filter(Boolean)
              .map((l) => l.split('\t') as [string, string]),
          )
        : reject(new Error(`kcat exited ${code}: ${err}`)),
    );
  });
}

/** Records as the counting model's checker takes them. */
const consumed = (pairs: Array<[string | null, string]>): Consumed[] =>
  pairs.map(([key, value], offset) => ({
    topic: APP.output,
    partition: 0,
    offset,
    key,
    keyBytes: key === null ? null : Buffer.from(key),
    value: Buffer.from(value),
    headers: {},
  }));

describe('exactly-once interop with librdkafka clients', () => {
  let env: TestBroker;
  beforeAll(async () => {
    // Short session timeouts so the killed instance's partitions move on quickly.
    env = await startBroker({ groupMinSessionTimeoutMs: 1000 });
  });
  afterAll(async () => {
    await killChildApps();
    await env?.broker.stop();
  });

  it('a python transactional producer feeds the application; kcat and python read_committed see only committed data', async () => {
    await createTopics(env.kafka, [
      { topic: APP.input, numPartitions: 2 },
      { topic: APP.output, numPartitions: 2 },
    ]);
    const brokers = env.brokers.join(',');
    // 6 transactions of 20 records, the 2nd and the 5th aborted: 80 committed, the input ending with a commit marker.
    const input = await python(['produce', brokers, APP.input, 'interop-eos-python', '20', '6']);
    expect(input).toHaveLength(80);
    const expected = new Map<string, number>();
    for (const [key] of input) expected.set(key!, (expected.get(key!) ?? 0) + 1);

    // Read back by both librdkafka readers: only the committed transactions.
    const sorted = (pairs: Array<[string | null, string]>) => pairs.map(([k, v]) => `${k}=${v}`).sort();
    expect(sorted(await python(['read', brokers, APP.input, 'read_committed']))).toEqual(sorted(input));
    expect(sorted(await kcat(brokers, APP.input, 'read_committed'))).toEqual(sorted(input));
    expect(await python(['read', brokers, APP.input, 'read_uncommitted'])).toHaveLength(120);

    // The application processes everything inside one long transaction (its records reach the
    // broker, uncommitted) and is killed before committing it.
    const stateDir = tempDir('interop-eos-');
    const long = { COMMIT_INTERVAL_MS: '120000', TRANSACTION_TIMEOUT_MS: '120000' };
    const first = startCountingInstance(env.brokers, APP, 'interop-slot', stateDir, long);
    const outLogs = [0, 1].map((p) => env.broker.logManager.partition(APP.output, p)!);
    await waitFor(
      () => outLogs.reduce((n, l) => n + l.highWatermark, 0) >= 80,
      90000,
      'the first instance to write its 80 counts (uncommitted)',
    );
    expect(outLogs.some((l) => l.lastStableOffset < l.highWatermark)).toBe(true);
    await first.kill();
    // The same client id again: its transactional producer fences the killed one, aborting its transaction.
    startCountingInstance(env.brokers, APP, 'interop-slot', stateDir);
    await waitFor(
      async () => {
        const committed = await committedOffsets(env.kafka, APP.applicationId, APP.input);
        const ends = [0, 1].map((p) => env.broker.logManager.partition(APP.input, p)!.highWatermark);
        return (
          ends.every((end, p) => committed.get(p) === end) &&
          outLogs.every((l) => l.lastStableOffset === l.highWatermark)
        );
      },
      90000,
      'the input committed to its end offsets (past the python markers) and no open transaction',
    );

    const kcatCommitted = await kcat(brokers, APP.output, 'read_committed');
    const pythonCommitted = await python(['read', brokers, APP.output, 'read_committed']);
    expect(kcatCommitted).toHaveLength(80);
    expect(pythonCommitted).toHaveLength(80);
    expectEveryCountOnce(consumed(kcatCommitted), expected);
    expectEveryCountOnce(consumed(pythonCommitted), expected);
    // The killed instance's counts are on the log, aborted: a read_uncommitted reader sees them too.
    expect((await kcat(brokers, APP.output, 'read_uncommitted')).length).toBe(160);
    expect((await python(['read', brokers, APP.output, 'read_uncommitted'])).length).toBe(160);
  });
});
