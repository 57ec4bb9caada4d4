import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { EmbeddedKafka } from '@gmart/embedded-kafka';
import {
  committedOffsets,
  consume,
  createTopics,
  produce,
  startBroker,
  tempDir,
  waitFor,
} from '@gmart/test-support';
import type { Kafka } from 'kafkajs';
import { type StreamsService, bootstrapStreamsService, kafkaStreamsRuntime } from '../src';
import { GmartSerdes, PurchaseGenerator, findCardNumbers } from '@gmart/gmart';
import { MaskingLikeModule, maskingLikeConfig } from './fixtures/masking-like.module';
import { FailingModule } from './fixtures/failing.module';
import { YellingModule, yellingConfig } from './fixtures/yelling.module';

const ROOT = join(__dirname, '..', '..', '..');
const MAIN = join(__dirname, 'fixtures', 'yelling-main.ts');

/** How long after its budget a process may take to be gone (a loaded machine, process teardown). */
const EXIT_SLACK_MS = 2000;

/** Waits (test-support's {@link waitFor}) until `probe` gives a value, and returns it. */
async function waitForValue<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  let value: T | undefined;
  await waitFor(async () => (value = await probe()) !== undefined, timeoutMs, what, 100);
  return value!;
}

function captureLines(): {
  destination: Writable;
  lines: () => Record<string, unknown>[];
  text: () => string;
} {
  let text = '';
  const destination = new Writable({
    write(chunk, _e, cb) {
      text += chunk.toString();
      cb();
    },
  });
  const lines = () =>
    text
      .split('\n')
      .filter((l) => l.trim().length > 0)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { destination, lines, text: () => text };
}

async function readValues(kafka: Kafka, topic: string, expected: number): Promise<string[]> {
  return (await consume(kafka, topic, expected)).map((r) => r.value!.toString());
}

describe('a streams service against the embedded broker', () => {
  let broker: EmbeddedKafka;
  let kafka: Kafka;
  let stateDir: string;
  const children = new Set<ChildProcess>();

  beforeAll(async () => {
    ({ broker, kafka } = await startBroker({ clientId: 'nest-streams-test' }));
    stateDir = tempDir('nest-streams-state');
    await createTopics(
      kafka,
      ['in-a', 'out-a', 'in-b', 'out-b', 'tx-c', 'purchases-c'].map((topic) => ({ topic, numPartitions: 2 })),
    );
  });

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await broker?.stop();
  });

  describe('in process', () => {
    let service: StreamsService;
    const logs = captureLines();

    beforeAll(async () => {
      service = await bootstrapStreamsService({
        module: YellingModule,
        config: yellingConfig,
        runtimeFactory: kafkaStreamsRuntime(),
        env: {
          KAFKA_BROKERS: broker.bootstrapServers,
          HTTP_PORT: '0',
          APPLICATION_ID: 'yelling-a',
          TOPIC_SOURCE: 'in-a',
          TOPIC_SINK: 'out-a',
          STATE_DIR: stateDir,
          COMMIT_INTERVAL_MS: '200',
          SHUTDOWN_TIMEOUT_MS: '20000',
        },
        handleSignals: false,
        host: '127.0.0.1',
        logDestination: logs.destination,
      });
    });

    afterAll(async () => {
      await service?.close();
    });

    it('becomes ready (200) once the streams state is RUNNING and processes records', async () => {
      const ready = await waitForValue('ready', async () => {
        const res = await fetch(`${service.url}/health/ready`);
        return res.status === 200 ? ((await res.json()) as Record<string, unknown>) : undefined;
      });
      expect(ready).toMatchObject({ status: 'UP', state: 'RUNNING' });
      expect(service.status.state).toBe('RUNNING');
      const live = await fetch(`${service.url}/health/live`);
      expect(live.status).toBe(200);

      await produce(
        kafka,
        'in-a',
        ['hello', 'world', 'kafka streams'].map((value, i) => ({ key: `k${i}`, value })),
      );
      expect((await readValues(kafka, 'out-a', 3)).sort()).toEqual(['HELLO', 'KAFKA STREAMS', 'WORLD']);
    });

    it('serves the library metrics and process metrics with the service label', async () => {
      const res = await fetch(`${service.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await res.text();
      const samples = text.split('\n').filter((l) => l && !l.startsWith('#'));
      const library = samples.filter((l) => l.startsWith('kafka_stream_'));
      expect(library.length).toBeGreaterThan(0);
      for (const line of library) expect(line).toContain('service="yelling"');
      expect(samples.some((l) => l.startsWith('process_cpu_user_seconds_total{service="yelling"}'))).toBe(
        true,
      );
      expect(samples).toContain('gmart_service_ready{service="yelling"} 1');
      expect(samples).toContain('gmart_service_streams_state{state="RUNNING",service="yelling"} 1');
      // The heap after the last major GC (what the soak judges): a plausible size, below the whole heap.
      const heapLine = samples.find((l) =>
        l.startsWith('gmart_heap_old_generation_after_major_gc_bytes{service="yelling"} '),
      );
      const heapTotal = samples.find((l) => l.startsWith('nodejs_heap_size_total_bytes{service="yelling"} '));
      const after = Number(heapLine?.split(' ')[1]);
      expect(after).toBeGreaterThan(1024 * 1024);
      expect(after).toBeLessThan(Number(heapTotal?.split(' ')[1]));
    });

    it('installs the metrics interceptors: consumed and sent records per topic, ack latency', async () => {
      const text = await (await fetch(`${service.url}/metrics`)).text();
      const value = (prefix: string): number =>
        text
          .split('\n')
          .filter((l) => l.startsWith(prefix))
          .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
      expect(value('kafka_consumer_interceptor_records_total{')).toBeGreaterThanOrEqual(3);
      expect(text).toMatch(
        /kafka_consumer_interceptor_records_total\{[^}]*topic="in-a"[^}]*service="yelling"\}/,
      );
      expect(value('kafka_producer_record_send_total{')).toBeGreaterThanOrEqual(3);
      expect(text).toMatch(/kafka_producer_record_send_total\{[^}]*topic="out-a"[^}]*\}/);
      expect(value('kafka_producer_ack_latency_seconds_count{')).toBeGreaterThanOrEqual(3);
    });

    it('reports 503 with the state once streams are closed, and logs JSON without record values', async () => {
      await service.transport.close();
      const res = await fetch(`${service.url}/health/ready`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'DOWN', state: 'NOT_RUNNING' });
      const lines = logs.lines();
      expect(lines.some((l) => l.msg === 'streams closed' && l.state === 'NOT_RUNNING')).toBe(true);
      expect(lines.every((l) => l.service === 'yelling')).toBe(true);
      expect(logs.text()).not.toMatch(/hello|kafka streams/i);
    });

    it('answers /health/live 503 with the cause once the service has failed', async () => {
      expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
      service.status.fail('MongoDB unreachable for 120000 ms');
      const res = await fetch(`${service.url}/health/live`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'DOWN', cause: 'MongoDB unreachable for 120000 ms' });
    });
  });

  it('sends records it cannot parse to <APPLICATION_ID>-dlq with the reason and keeps running', async () => {
    const service = await bootstrapStreamsService({
      module: MaskingLikeModule,
      config: maskingLikeConfig,
      env: {
        KAFKA_BROKERS: broker.bootstrapServers,
        HTTP_PORT: '0',
        APPLICATION_ID: 'masking-c',
        TOPIC_TRANSACTIONS: 'tx-c',
        TOPIC_PURCHASES: 'purchases-c',
        STATE_DIR: stateDir,
        COMMIT_INTERVAL_MS: '200',
        LOG_LEVEL: 'warn',
      },
      handleSignals: false,
      host: '127.0.0.1',
      logDestination: captureLines().destination,
    });
    try {
      expect(service.config.dlqTopic).toBe('masking-c-dlq');
      await waitForValue('ready', async () =>
        (await fetch(`${service.url}/health/ready`)).status === 200 ? true : undefined,
      );
      const serde = GmartSerdes.Purchase().serializer();
      const [a, b] = new PurchaseGenerator({ seed: 3 }).take(2);
      await produce(kafka, 'tx-c', [
        { key: 'a', value: serde.serialize('tx-c', a!) },
        {
          key: 'bad',
          value: JSON.stringify({
            ...a!,
            purchaseDate: new Date(a!.purchaseDate).toISOString(),
            quantity: 1e9,
          }),
        },
        { key: 'b', value: serde.serialize('tx-c', b!) },
      ]);
      const out = await readValues(kafka, 'purchases-c', 2);
      expect(out).toHaveLength(2);
      for (const v of out) expect(findCardNumbers(v)).toEqual([]);

      const [dead] = await consume(kafka, 'masking-c-dlq', 1);
      expect(dead!.key).toBe('bad');
      expect(dead!.headers['__streams.errors.message']).toMatch(/quantity: is absurd/);
      expect(findCardNumbers(dead!.headers['__streams.errors.message']!)).toEqual([]);
      const ready = await fetch(`${service.url}/health/ready`);
      expect(ready.status).toBe(200);
      // app.close() (what SIGTERM runs) closes the streams client through the transport.
      await service.close();
      expect(service.status.state).toBe('NOT_RUNNING');
    } finally {
      if (service.status.state !== 'NOT_RUNNING') await service.close();
    }
  });

  it('fails to start, naming the problem, when a source topic is missing', async () => {
    await expect(
      bootstrapStreamsService({
        module: YellingModule,
        config: yellingConfig,
        env: {
          KAFKA_BROKERS: broker.bootstrapServers,
          HTTP_PORT: '0',
          APPLICATION_ID: 'yelling-missing',
          TOPIC_SOURCE: 'no-such-topic',
          STATE_DIR: stateDir,
        },
        handleSignals: false,
        host: '127.0.0.1',
        logDestination: captureLines().destination,
      }),
    ).rejects.toThrow(/streams failed to start: .*no-such-topic/);
  });

  it('answers /health/live 503 naming the cause while its streams client is in ERROR (bootstrapped without runStreamsService)', async () => {
    await createTopics(kafka, [{ topic: 'src-topic' }, { topic: 'out-topic' }]);
    const service = await bootstrapStreamsService({
      module: FailingModule,
      config: yellingConfig,
      runtimeFactory: kafkaStreamsRuntime({ processingExceptionHandler: 'logAndFail' }),
      env: {
        KAFKA_BROKERS: broker.bootstrapServers,
        HTTP_PORT: '0',
        APPLICATION_ID: 'failing-live',
        TOPIC_SOURCE: 'src-topic',
        TOPIC_SINK: 'out-topic',
        STATE_DIR: stateDir,
      },
      handleSignals: false,
      host: '127.0.0.1',
      logDestination: captureLines().destination,
    });
    try {
      await waitForValue('ready', async () =>
        (await fetch(`${service.url}/health/ready`)).status === 200 ? true : undefined,
      );
      expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
      const causes: string[] = [];
      service.status.onFailure((cause) => causes.push(cause));
      await produce(kafka, 'src-topic', [{ key: 'k', value: 'boom' }]);
      await waitForValue('ERROR', async () => (service.status.state === 'ERROR' ? true : undefined));
      const live = await fetch(`${service.url}/health/live`);
      expect(live.status).toBe(503);
      const body = (await live.json()) as { status: string; state: string; cause: string };
      expect(body).toMatchObject({ status: 'DOWN', state: 'ERROR' });
      expect(body.cause).toMatch(/^streams client in ERROR: .*boom: the processor failed/);
      // The failure listeners heard it once: that is what runStreamsService exits on.
      expect(causes).toEqual([body.cause]);
    } finally {
      await service.close();
    }
  });

  describe('as a process', () => {
    function startService(
      env: NodeJS.ProcessEnv,
      main = MAIN,
    ): {
      child: ChildProcess;
      stdout: () => string;
      stderr: () => string;
      exit: Promise<number | null>;
    } {
      const child = spawn(
        process.execPath,
        ['--conditions=@gmart/source', '-r', '@swc-node/register', main],
        {
          cwd: ROOT,
          env: { PATH: process.env.PATH, ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      children.add(child);
      let out = '';
      let err = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      const exit = new Promise<number | null>((resolve) =>
        child.on('exit', (code) => {
          children.delete(child);
          resolve(code);
        }),
      );
      return { child, stdout: () => out, stderr: () => err, exit };
    }

    it('closes the streams cleanly on SIGTERM, committing what it processed', async () => {
      await produce(
        kafka,
        'in-b',
        Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `m${i}` })),
      );

      const svc = startService({
        KAFKA_BROKERS: broker.bootstrapServers,
        HTTP_PORT: '0',
        APPLICATION_ID: 'yelling-b',
        TOPIC_SOURCE: 'in-b',
        TOPIC_SINK: 'out-b',
        STATE_DIR: stateDir,
        SHUTDOWN_TIMEOUT_MS: '20000',
        COMMIT_INTERVAL_MS: '60000',
      });
      const url = await waitForValue('service url', async () => {
        const started = svc
          .stdout()
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as { msg?: string; url?: string })
          .find((l) => l.msg === 'service started');
        return started?.url;
      });
      await waitForValue('ready', async () =>
        (await fetch(`${url}/health/ready`)).status === 200 ? true : undefined,
      );
      expect(await readValues(kafka, 'out-b', 50)).toHaveLength(50);

      svc.child.kill('SIGTERM');
      expect(await svc.exit).toBe(0);
      const lines = svc
        .stdout()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.some((l) => l.msg === 'streams closed' && l.state === 'NOT_RUNNING')).toBe(true);
      // The commit interval is a minute: only the graceful close can have committed the offsets.
      const committed = await committedOffsets(kafka, 'yelling-b', 'in-b');
      const admin = kafka.admin();
      await admin.connect();
      const high = await admin.fetchTopicOffsets('in-b');
      await admin.disconnect();
      const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
      expect(sum([...committed.values()])).toBe(sum(high.map((h) => Number(h.offset))));
    });

    it('exits within SHUTDOWN_TIMEOUT_MS on SIGTERM even when the broker is gone', async () => {
      const { broker: lonely, kafka: lonelyKafka } = await startBroker();
      try {
        await createTopics(lonelyKafka, [{ topic: 'src-topic' }, { topic: 'out-topic' }]);
        const svc = startService({
          KAFKA_BROKERS: lonely.bootstrapServers,
          HTTP_PORT: '0',
          STATE_DIR: stateDir,
          SHUTDOWN_TIMEOUT_MS: '10000',
        });
        const parsed = () =>
          svc
            .stdout()
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l) as Record<string, unknown>);
        const url = await waitForValue(
          'service url',
          async () => parsed().find((l) => l.msg === 'service started')?.url as string | undefined,
        );
        await waitForValue('ready', async () =>
          (await fetch(`${url}/health/ready`)).status === 200 ? true : undefined,
        );
        await lonely.stop();
        const signalled = Date.now();
        svc.child.kill('SIGTERM');
        const code = await svc.exit;
        const elapsed = Date.now() - signalled;
        const lines = parsed();
        expect(lines.find((l) => l.msg === 'shutting down')).toMatchObject({
          signal: 'SIGTERM',
          timeoutMs: 10000,
        });
        // Streams get 90% of the budget: their close gives up on the missing broker in time, so
        // the process ends cleanly (0) before the hard exit would fire (a 10 s budget leaves it 1 s).
        expect(lines.find((l) => l.msg === 'closing streams')).toMatchObject({ timeoutMs: 9000 });
        expect(code).toBe(0);
        expect(lines.some((l) => l.msg === 'graceful shutdown timed out; exiting')).toBe(false);
        expect(elapsed).toBeLessThan(10000 + EXIT_SLACK_MS);
      } finally {
        await lonely.stop().catch(() => undefined);
      }
    });

    it('exits 1 at SHUTDOWN_TIMEOUT_MS when closing the streams client hangs (the hard exit)', async () => {
      const svc = startService(
        {
          KAFKA_BROKERS: broker.bootstrapServers,
          HTTP_PORT: '0',
          APPLICATION_ID: 'yelling-hang',
          TOPIC_SOURCE: 'in-b',
          TOPIC_SINK: 'out-b',
          STATE_DIR: stateDir,
          SHUTDOWN_TIMEOUT_MS: '2000',
        },
        join(__dirname, 'fixtures', 'hanging-close-main.ts'),
      );
      const parsed = () =>
        svc
          .stdout()
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown>);
      const url = await waitForValue(
        'service url',
        async () => parsed().find((l) => l.msg === 'service started')?.url as string | undefined,
      );
      await waitForValue('ready', async () =>
        (await fetch(`${url}/health/ready`)).status === 200 ? true : undefined,
      );
      const signalled = Date.now();
      svc.child.kill('SIGTERM');
      const code = await svc.exit;
      const elapsed = Date.now() - signalled;
      expect(code).toBe(1);
      expect(parsed().find((l) => l.msg === 'graceful shutdown timed out; exiting')).toMatchObject({
        level: 'fatal',
        timeoutMs: 2000,
      });
      // Not before the budget, and not long after it.
      expect(elapsed).toBeGreaterThanOrEqual(2000);
      expect(elapsed).toBeLessThan(2000 + EXIT_SLACK_MS);
    });

    it('exits 1 naming the cause when its streams client reaches ERROR', async () => {
      await createTopics(kafka, [{ topic: 'in-e' }, { topic: 'out-e' }]);
      const svc = startService(
        {
          KAFKA_BROKERS: broker.bootstrapServers,
          HTTP_PORT: '0',
          APPLICATION_ID: 'failing-e',
          TOPIC_SOURCE: 'in-e',
          TOPIC_SINK: 'out-e',
          STATE_DIR: stateDir,
        },
        join(__dirname, 'fixtures', 'failing-main.ts'),
      );
      const url = await waitForValue('service url', async () => {
        const started = svc
          .stdout()
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as { msg?: string; url?: string })
          .find((l) => l.msg === 'service started');
        return started?.url;
      });
      await waitForValue('ready', async () =>
        (await fetch(`${url}/health/ready`)).status === 200 ? true : undefined,
      );
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      await produce(kafka, 'in-e', [{ key: 'k', value: 'boom' }]);

      expect(await svc.exit).toBe(1);
      const fatal = JSON.parse(svc.stderr().trim().split('\n').pop()!) as { level: string; msg: string };
      expect(fatal.level).toBe('fatal');
      expect(fatal.msg).toMatch(/^service failed: .*boom: the processor failed.*; exiting$/);
    });

    it('stops with a message naming a missing variable', async () => {
      const svc = startService({ HTTP_PORT: '0' });
      expect(await svc.exit).toBe(1);
      const line = JSON.parse(svc.stderr().trim().split('\n').pop()!) as {
        level: string;
        variables: string[];
        msg: string;
      };
      expect(line.level).toBe('fatal');
      expect(line.variables).toEqual(['KAFKA_BROKERS']);
      expect(line.msg).toMatch(/KAFKA_BROKERS: is required/);
    });
  });
});
