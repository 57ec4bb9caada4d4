/**
 * The committed offset is the consumer's position (Kafka Streams' `StreamTask#findOffset` /
 * `commitNeeded()`): past control records (transaction markers) and aborted records. An input
 * written in transactions ends with a marker; a topology under `exactly_once_v2` writes its
 * repartition topic in transactions too. After the run, every input and repartition partition has
 * committed offset == log end offset (consumer lag 0), and a restart over more input neither skips
 * nor reprocesses a record: the copied output holds each committed input once, the counts equal the
 * recomputation. The same under at-least-once (a marker fetched on its own after its records).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Registry } from 'prom-client';
import type { Kafka } from 'kafkajs';
import {
  Consumed,
  Grouped,
  KafkaStreams,
  Produced,
  Serdes,
  StreamsBuilder,
  type KafkaClientName,
  type ProcessingGuarantee,
} from '../../src';
import { committedOffsets, createTopics, readCommitted, startBroker, waitFor } from '@gmart/test-support';
import { logEndOffsets } from '../helpers/admin-queries';

jest.setTimeout(180000);
const S = Serdes.String();
const KEYS = ['a', 'b', 'c', 'd', 'e'];

/**
 * Writes a round of records in transactions, some aborted (both clients read read_committed, also
 * at-least-once, so the aborted ones are skipped); returns the committed values.
 */
async function produceTransactions(kafka: Kafka, topic: string, round: number): Promise<string[]> {
  const producer = kafka.producer({
    transactionalId: `${topic}-writer-${round}`,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  const committed: string[] = [];
  try {
    for (let t = 0; t < 6; t++) {
      // Round 2 ends with an aborted transaction: its abort marker is the last offset.
      const abort = t === 1 || (round === 2 && t === 5);
      const messages = Array.from({ length: 7 }, (_, i) => {
        const value = `r${round}-t${t}-${i}${abort ? '-aborted' : ''}`;
        return { key: KEYS[(t * 7 + i) % KEYS.length], value, partition: i % 2 };
      });
      const tx = await producer.transaction();
      await tx.send({ topic, messages });
      if (abort) await tx.abort();
      else {
        await tx.commit();
        committed.push(...messages.map((m) => m.value));
      }
    }
  } finally {
    await producer.disconnect();
  }
  return committed;
}

async function repartitionTopic(kafka: Kafka, applicationId: string): Promise<string> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const t = (await admin.listTopics()).find(
      (n) => n.startsWith(applicationId) && n.endsWith('-repartition'),
    );
    if (!t) throw new Error(`no repartition topic of ${applicationId}`);
    return t;
  } finally {
    await admin.disconnect();
  }
}

/** Per partition: [committed, end]; equal everywhere once the group consumed the topic to its end. */
async function lag(kafka: Kafka, group: string, topic: string): Promise<Array<[number, number, number]>> {
  const [committed, ends] = await Promise.all([
    committedOffsets(kafka, group, topic),
    logEndOffsets(kafka, topic),
  ]);
  return [...ends].map(([p, end]) => [p, committed.get(p) ?? -1, end]);
}

const cases: Array<[ProcessingGuarantee, KafkaClientName]> = [
  ['exactly_once_v2', 'kafkajs'],
  ['exactly_once_v2', 'platformatic'],
  ['at_least_once', 'kafkajs'],
  ['at_least_once', 'platformatic'],
];

describe('the committed offset is the position past transaction markers (embedded broker)', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  const dirs: string[] = [];
  const running = new Set<KafkaStreams>();
  beforeAll(async () => {
    env = await startBroker();
  });
  afterAll(async () => {
    for (const s of running) await s.close({ timeoutMs: 10000 });
    await env?.broker.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it.each(cases)(
    '%s on %s: lag reaches 0, a restart neither skips nor reprocesses',
    async (guarantee, client) => {
      const id = `cp-${guarantee === 'exactly_once_v2' ? 'eos' : 'alos'}-${client}`;
      const input = `${id}-in`;
      const copy = `${id}-copy`;
      const counts = `${id}-counts`;
      await createTopics(env.kafka, [
        { topic: input, numPartitions: 2 },
        { topic: copy, numPartitions: 2 },
        { topic: counts, numPartitions: 2 },
      ]);
      const builder = new StreamsBuilder();
      const source = builder.stream(input, Consumed.with(S, S));
      source.to(copy, Produced.with(S, S));
      // Re-keyed by the value's round: the count goes through a repartition topic (written in
      // transactions under exactly-once, so its reader meets markers too).
      source
        .groupBy((_k, v) => v.split('-')[0], Grouped.with(S, S))
        .count()
        .toStream()
        .mapValues((n) => String(n))
        .to(counts, Produced.with(S, S));
      const topology = builder.build();
      const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `${id}-`));
      dirs.push(stateDir);
      const problems: string[] = [];
      const start = async () => {
        const streams = new KafkaStreams(topology, {
          applicationId: id,
          bootstrapServers: env.brokers,
          kafkaClient: client,
          processingGuarantee: guarantee,
          commitIntervalMs: 100,
          stateDir,
          metricsRegistry: new Registry(),
          consumer: { maxWaitTimeInMs: 100 },
          logger: {
            debug() {},
            info() {},
            warn: (m: string) => problems.push(m),
            error: (m: string) => problems.push(m),
          },
        });
        running.add(streams);
        await streams.start();
        return streams;
      };
      const drained = async (topics: string[]) => {
        let last: unknown;
        await waitFor(
          async () => {
            // In order, upstream first: once the input is committed to its end, every repartition
            // record it led to is written (same transaction), so the repartition's end is final.
            const lags: Array<Array<[number, number, number]>> = [];
            for (const t of topics) lags.push(await lag(env.kafka, id, t));
            last = lags;
            return (last as Array<Array<[number, number, number]>>).every((ps) =>
              ps.every(([, committed, end]) => committed === end || (end === 0 && committed === -1)),
            );
          },
          60000,
          `committed offsets == end offsets of ${topics.join(', ')}`,
        ).catch((error: Error) => {
          throw new Error(`${error.message}: [partition, committed, end] ${JSON.stringify(last)}`);
        });
      };

      const expected = await produceTransactions(env.kafka, input, 1);
      let streams = await start();
      const repartition = await repartitionTopic(env.kafka, id);
      await drained([input, repartition]);
      // The input ends with a marker: had the committed offset stopped at the last data record, it
      // would be end - 1.
      for (const [, committed, end] of await lag(env.kafka, id, input)) expect(committed).toBe(end);
      await streams.close({ timeoutMs: 10000 });
      running.delete(streams);

      expected.push(...(await produceTransactions(env.kafka, input, 2)));
      streams = await start();
      await drained([input, repartition]);
      await streams.close({ timeoutMs: 10000 });
      running.delete(streams);
      for (const [, committed, end] of await lag(env.kafka, id, input)) expect(committed).toBe(end);
      for (const [, committed, end] of await lag(env.kafka, id, repartition))
        expect(committed).toBe(end === 0 ? -1 : end);

      // Nothing skipped, nothing processed twice: each committed input once in the copy...
      const copied = (await readCommitted(env.kafka, copy)).map((r) => r.value!.toString());
      expect(copied.sort()).toEqual([...expected].sort());
      // ... and the last count per round equals the committed records of that round.
      const last = new Map<string, string>();
      for (const r of await readCommitted(env.kafka, counts)) last.set(r.key!, r.value!.toString());
      const perRound = new Map<string, number>();
      for (const v of expected) perRound.set(v.split('-')[0], (perRound.get(v.split('-')[0]) ?? 0) + 1);
      expect(Object.fromEntries(last)).toEqual(
        Object.fromEntries([...perRound].map(([k, n]) => [k, String(n)])),
      );
      expect(problems.filter((m) => !/KIP-447/.test(m))).toEqual([]);
    },
  );
});
