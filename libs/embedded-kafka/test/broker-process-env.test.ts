/**
 * The environment `spawnBrokerProcess` gives the broker: glibc's `glibc.malloc.hugetlb=1` tunable
 * added to `GLIBC_TUNABLES` (other tunables kept), and the caller's own hugetlb setting left alone;
 * {@link BROKER_NODE_FLAGS} before the caller's Node flags; a broker started that way serves large
 * produce requests and fetches them back intact.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import {
  BROKER_MALLOC_TUNABLE,
  BROKER_NODE_FLAGS,
  brokerProcessEnv,
  spawnBrokerProcess,
} from '../src/process';

/** The command line of a running process, from /proc (Linux). */
function argvOf(pid: number): string[] {
  return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
}

/** The environment of a running process, from /proc (Linux). */
function environOf(pid: number): Record<string, string> {
  const raw = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
  return Object.fromEntries(
    raw
      .split('\0')
      .filter((kv) => kv.includes('='))
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
}

describe('brokerProcessEnv', () => {
  it('adds the hugetlb tunable when GLIBC_TUNABLES is unset', () => {
    const env = brokerProcessEnv({ PATH: '/bin', MALLOC_ARENA_MAX: '2' });
    expect(env).toEqual({ PATH: '/bin', MALLOC_ARENA_MAX: '2', GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' });
    expect(BROKER_MALLOC_TUNABLE).toBe('glibc.malloc.hugetlb=1');
  });

  it('appends it to tunables the environment already sets, keeping them', () => {
    expect(brokerProcessEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }).GLIBC_TUNABLES).toBe(
      'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1',
    );
  });

  it("keeps the caller's own hugetlb setting (0 turns it off)", () => {
    for (const tunables of ['glibc.malloc.hugetlb=0', 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2']) {
      const env = { GLIBC_TUNABLES: tunables, X: '1' };
      expect(brokerProcessEnv(env)).toBe(env);
    }
  });

  it('does not take a similarly named tunable for the hugetlb one', () => {
    expect(brokerProcessEnv({ GLIBC_TUNABLES: 'glibc.malloc.hugetlbx=1' }).GLIBC_TUNABLES).toBe(
      'glibc.malloc.hugetlbx=1:glibc.malloc.hugetlb=1',
    );
  });

  it('has the broker optimize its functions sooner than V8 by default', () => {
    expect(BROKER_NODE_FLAGS).toEqual(['--invocation-count-for-turbofan=500']);
  });

  it('does not modify the environment it is given', () => {
    const env = { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' };
    brokerProcessEnv(env);
    expect(env).toEqual({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' });
  });
});

describe('spawnBrokerProcess environment (Linux: reads /proc)', () => {
  it('runs the broker with the tunable (and the given environment), and it serves produce and fetch', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ek-env-'));
    const broker = await spawnBrokerProcess(['--port', '0', '--data-dir', dataDir, '--quiet'], {
      env: { ...process.env, GMART_ENV_PROBE: 'yes', GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' },
      nodeArgs: ['--stack-trace-limit=20'],
    });
    try {
      const argv = argvOf(broker.child.pid!);
      // The broker's V8 flags come first, then the caller's (which win), then the CLI.
      expect(argv.slice(1, 1 + BROKER_NODE_FLAGS.length)).toEqual(BROKER_NODE_FLAGS);
      expect(argv[1 + BROKER_NODE_FLAGS.length]).toBe('--stack-trace-limit=20');
      const env = environOf(broker.child.pid!);
      expect(env.GMART_ENV_PROBE).toBe('yes');
      // glibc rewrites GLIBC_TUNABLES in the running process's environment (2.36 shows only the first
      // tunable), so only the start of the value is visible here; brokerProcessEnv's tests cover the rest.
      expect(env.GLIBC_TUNABLES).toMatch(/^glibc\.malloc\.arena_max=2(:|$)/);
      // Large produce requests (the frames the read cache keeps) round-trip byte for byte.
      const kafka = new Kafka({ brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING });
      const producer = kafka.producer({ allowAutoTopicCreation: true });
      await producer.connect();
      const values = Array.from({ length: 600 }, (_, i) => `v${i}-${'x'.repeat(i % 97)}`.repeat(40));
      for (let at = 0; at < values.length; at += 200)
        await producer.send({
          topic: 'env-probe',
          acks: -1,
          messages: values.slice(at, at + 200).map((value) => ({ value })),
        });
      await producer.disconnect();
      const consumer = kafka.consumer({ groupId: 'env-probe', maxWaitTimeInMs: 50 });
      await consumer.connect();
      await consumer.subscribe({ topic: 'env-probe', fromBeginning: true });
      const got: string[] = [];
      await new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            got.push(message.value!.toString());
            if (got.length === values.length) resolve();
          },
        });
      });
      await consumer.disconnect();
      expect(got).toEqual(values);
    } finally {
      await broker.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
