import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Registry } from 'prom-client';
import { Consumed, HandlerResponse, KafkaStreams, Produced, Serdes, Stores, StreamsBuilder } from '../../src';
import {
  Consumed as Read,
  consume,
  createTopics,
  produce,
  silentLogger,
  startBroker,
  waitFor,
} from '@gmart/test-support';
import { CountingProcessor } from '../helpers/counting-processor';

jest.setTimeout(180000);
const S = Serdes.String();
const KEYS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'];
const PER_KEY = 2500;
const N = KEYS.length * PER_KEY;

/** Per key, the sequence numbers in the order a reader of each partition sees them. */
function sequencesByKey(records: Read[], seqOf: (r: Read) => number): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const sorted = [...records].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  for (const r of sorted) {
    const list = out.get(r.key!) ?? [];
    list.push(seqOf(r));
    out.set(r.key!, list);
  }
  return out;
}

/** Positions where a key's sequence does not strictly increase. */
function outOfOrder(byKey: Map<string, number[]>): number {
  let bad = 0;
  for (const seqs of byKey.values()) for (let i = 1; i < seqs.length; i++) if (seqs[i] <= seqs[i - 1]) bad++;
  return bad;
}

/**
 * Kafka Streams keeps the order of every partition it writes (outputs and changelogs). Many small
 * produce requests (a tiny `producerBatchSize`) over few keys and partitions make any concurrency
 * between produce requests visible as out-of-order records.
 */
describe('per-partition order of outputs and changelogs', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  const dirs: string[] = [];
  beforeAll(async () => {
    env = await startBroker();
  });
  afterAll(async () => {
    await env?.broker.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  const input = (i: number) => ({ key: KEYS[i % KEYS.length], value: String(Math.floor(i / KEYS.length)) });

  it('a stateless topology writes each key in input order', async () => {
    await createTopics(env.kafka, [
      { topic: 'ord-in', numPartitions: 2 },
      { topic: 'ord-out', numPartitions: 2 },
    ]);
    await produce(
      env.kafka,
      'ord-in',
      Array.from({ length: N }, (_, i) => input(i)),
    );
    const b = new StreamsBuilder();
    b.stream('ord-in', Consumed.with(S, S))
      .mapValues((v) => `seq-${v}`)
      .to('ord-out', Produced.with(S, S));
    const streams = new KafkaStreams(b.build(), {
      applicationId: 'ord-stateless',
      bootstrapServers: env.brokers,
      commitIntervalMs: 100,
      producerBatchSize: 7,
      logger: silentLogger,
      metricsRegistry: new Registry(),
    });
    await streams.start();
    try {
      const out = await consume(env.kafka, 'ord-out', N, 150000);
      const byKey = sequencesByKey(out, (r) => Number(r.value!.toString().slice(4)));
      expect(outOfOrder(byKey)).toBe(0);
      for (const k of KEYS) expect(byKey.get(k)).toEqual(Array.from({ length: PER_KEY }, (_, i) => i));
    } finally {
      await streams.close();
    }
  });

  it('records after a refused request do not overtake the records re-sent from it', async () => {
    // The output topic refuses record batches over 4 KiB: most requests are refused and re-sent in
    // smaller parts, and every 50th record is too large on its own (dropped by the handler).
    await createTopics(env.kafka, [
      { topic: 'ordf-in', numPartitions: 2 },
      { topic: 'ordf-out', numPartitions: 1, config: { 'max.message.bytes': '4096' } },
    ]);
    const n = 3000;
    const big = (seq: number) => seq % 50 === 49;
    await produce(
      env.kafka,
      'ordf-in',
      Array.from({ length: n }, (_, i) => input(i)),
    );
    const b = new StreamsBuilder();
    b.stream('ordf-in', Consumed.with(S, S))
      .mapValues((v) => (big(Number(v)) ? `seq-${v}-${'x'.repeat(5000)}` : `seq-${v}`))
      .to('ordf-out', Produced.with(S, S));
    const dropped: string[] = [];
    const streams = new KafkaStreams(b.build(), {
      applicationId: 'ord-refused',
      bootstrapServers: env.brokers,
      commitIntervalMs: 100,
      producerBatchSize: 7,
      productionExceptionHandler: {
        handle: (_ctx, record) => {
          dropped.push(String(record.key));
          return HandlerResponse.CONTINUE;
        },
      },
      logger: silentLogger,
      metricsRegistry: new Registry(),
    });
    await streams.start();
    try {
      const perKey = n / KEYS.length;
      const expected = Array.from({ length: perKey }, (_, i) => i).filter((seq) => !big(seq));
      const out = await consume(env.kafka, 'ordf-out', expected.length * KEYS.length, 150000);
      const byKey = sequencesByKey(out, (r) => Number(r.value!.toString().slice(4)));
      expect(outOfOrder(byKey)).toBe(0);
      for (const k of KEYS) expect(byKey.get(k)).toEqual(expected);
      // The last records refused may be settled after the last records written.
      await waitFor(
        () => dropped.length >= (perKey - expected.length) * KEYS.length,
        60000,
        'every refused record handled',
      );
      expect(dropped).toHaveLength((perKey - expected.length) * KEYS.length);
    } finally {
      await streams.close();
    }
  });

  it('a stateful topology writes outputs and changelog records of each key in order', async () => {
    await createTopics(env.kafka, [
      { topic: 'ords-in', numPartitions: 2 },
      { topic: 'ords-out', numPartitions: 2 },
    ]);
    await produce(
      env.kafka,
      'ords-in',
      Array.from({ length: N }, (_, i) => input(i)),
    );
    const b = new StreamsBuilder();
    b.addStateStore(
      Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore('totals'),
        S,
        Serdes.Integer(),
      ).withCachingDisabled(),
    );
    b.stream('ords-in', Consumed.with(S, S))
      .process(() => new CountingProcessor('totals'), 'totals')
      .to('ords-out', Produced.with(S, S));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ord-state-'));
    dirs.push(dir);
    const streams = new KafkaStreams(b.build(), {
      applicationId: 'ord-stateful',
      bootstrapServers: env.brokers,
      commitIntervalMs: 100,
      producerBatchSize: 7,
      stateDir: dir,
      logger: silentLogger,
      metricsRegistry: new Registry(),
    });
    await streams.start();
    try {
      const out = await consume(env.kafka, 'ords-out', N, 150000);
      const outByKey = sequencesByKey(out, (r) => Number(r.value!.toString()));
      expect(outOfOrder(outByKey)).toBe(0);
      for (const k of KEYS) expect(outByKey.get(k)).toEqual(Array.from({ length: PER_KEY }, (_, i) => i + 1));
      const changelog = await consume(env.kafka, 'ord-stateful-totals-changelog', N, 150000);
      const clByKey = sequencesByKey(changelog, (r) => r.value!.readInt32BE(0));
      expect(outOfOrder(clByKey)).toBe(0);
      for (const k of KEYS) expect(clByKey.get(k)!.at(-1)).toBe(PER_KEY);
    } finally {
      await streams.close();
    }
  });
});
