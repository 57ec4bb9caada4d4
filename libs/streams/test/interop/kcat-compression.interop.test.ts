import { spawn } from 'node:child_process';
import { Registry } from 'prom-client';
import { Consumed, KafkaStreams, Produced, Serdes, StreamsBuilder } from '../../src';
import { consume, createTopics, silentLogger, startBroker } from '@gmart/test-support';

jest.setTimeout(120000);

const S = Serdes.String();

/** Runs `kcat` with `input` on stdin (asynchronously: the broker runs in this process). */
function kcat(args: string[], input: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const cp = spawn('kcat', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    cp.stderr.on('data', (d) => (stderr += d));
    cp.on('error', reject);
    cp.on('close', (code) => resolve({ code, stderr }));
    cp.stdin.end(input);
  });
}

/**
 * A streams application reads what librdkafka (kcat) writes in each codec: the batches Java and
 * librdkafka producers send in mixed estates (a single lz4 batch used to kill the stream thread).
 */
describe('kcat-compressed input through a streams application', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  beforeAll(async () => {
    env = await startBroker();
  });
  afterAll(async () => {
    await env?.broker.stop();
  });

  it.each(['gzip', 'snappy', 'lz4', 'zstd'])('kcat -z %s', async (codec) => {
    const name = `kcat-${codec}`;
    await createTopics(env.kafka, [{ topic: `${name}-in` }, { topic: `${name}-out` }]);
    const lines = Array.from({ length: 500 }, (_, i) => `k${i}:purchase ${i} ${'y'.repeat(i % 40)}`);
    const r = await kcat(
      ['-P', '-b', env.brokers.join(','), '-t', `${name}-in`, '-K:', '-X', 'acks=all', '-z', codec],
      lines.join('\n') + '\n',
    );
    expect(r).toEqual({ code: 0, stderr: '' });
    const stored = env.broker.logManager.partition(`${name}-in`, 0)!.allEntries();
    expect(stored.some((e) => (e.attributes & 0x07) !== 0)).toBe(true);

    const b = new StreamsBuilder();
    b.stream(`${name}-in`, Consumed.with(S, S))
      .mapValues((v) => v.length)
      .mapValues((n) => String(n))
      .to(`${name}-out`, Produced.with(S, S));
    const streams = new KafkaStreams(b.build(), {
      applicationId: name,
      bootstrapServers: env.brokers,
      commitIntervalMs: 100,
      logger: silentLogger,
      metricsRegistry: new Registry(),
    });
    await streams.start();
    try {
      const out = await consume(env.kafka, `${name}-out`, lines.length);
      expect(out.map((o) => `${o.key}:${o.value!.toString()}`)).toEqual(
        lines.map((l) => {
          const [k, v] = [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)];
          return `${k}:${v.length}`;
        }),
      );
    } finally {
      await streams.close();
    }
  });
});
