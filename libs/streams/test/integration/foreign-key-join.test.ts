import { Registry } from 'prom-client';
import {
  Consumed,
  KafkaStreams,
  KafkaStreamsState,
  Produced,
  Serdes,
  StreamsBuilder,
  TopologyError,
} from '../../src';
import type { Consumed as Record } from '@gmart/test-support';
import { consume, createTopics, produce, silentLogger, startBroker } from '@gmart/test-support';

jest.setTimeout(120000);
const S = Serdes.String();

const fkOf = (order: string): string => order.split('|')[0];
const joiner = (order: string, customer: string | null) => `${order}&${customer}`;

/** The table a reader of the output holds: upserts and tombstones applied in order. */
function replay(records: Record[]): Map<string, string> {
  const t = new Map<string, string>();
  for (const r of records) {
    if (r.value === null) t.delete(r.key!);
    else t.set(r.key!, r.value.toString());
  }
  return t;
}

function sameMap(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

describe('table joins against the embedded broker (orders 4 partitions, customers 2)', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  beforeAll(async () => {
    env = await startBroker();
    await createTopics(env.kafka, [
      { topic: 'fk-orders', numPartitions: 4 },
      { topic: 'fk-customers', numPartitions: 2 },
      { topic: 'fk-out', numPartitions: 3 },
    ]);
  });
  afterAll(async () => {
    await env?.broker.stop();
  });

  it('a table-table join of topics with different partition counts fails at start naming both', async () => {
    const b = new StreamsBuilder();
    b.table('fk-orders', Consumed.with(S, S))
      .join(b.table('fk-customers', Consumed.with(S, S)), joiner)
      .toStream()
      .to('fk-out', Produced.with(S, S));
    const streams = new KafkaStreams(b.build(), {
      applicationId: 'tt-bad',
      bootstrapServers: env.brokers,
      logger: silentLogger,
      metricsRegistry: new Registry(),
    });
    const err = await streams.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TopologyError);
    expect(String((err as Error).message)).toContain('fk-orders=4, fk-customers=2');
    expect(streams.state()).toBe(KafkaStreamsState.ERROR);
    await streams.close();
  });

  it('joins across partitions through the subscription and response topics, created with the partition counts of each side', async () => {
    const b = new StreamsBuilder();
    const orders = b.table('fk-orders', Consumed.with(S, S));
    const customers = b.table('fk-customers', Consumed.with(S, S));
    orders.join(customers, fkOf, joiner).toStream().to('fk-out', Produced.with(S, S));
    const streams = new KafkaStreams(b.build(), {
      applicationId: 'fk-app',
      bootstrapServers: env.brokers,
      commitIntervalMs: 100,
      logger: silentLogger,
      metricsRegistry: new Registry(),
    });
    await streams.start();
    try {
      // The model: both tables, and the inner join of their final contents.
      const orderRows = new Map<string, string>();
      const customerRows = new Map<string, string>();
      const expected = () => {
        const m = new Map<string, string>();
        for (const [pk, v] of orderRows) {
          const c = customerRows.get(fkOf(v));
          if (c !== undefined) m.set(pk, joiner(v, c));
        }
        return m;
      };
      const customerRecords = Array.from({ length: 10 }, (_, i) => ({
        key: `c${i}`,
        value: `Customer ${i}`,
      }));
      await produce(env.kafka, 'fk-customers', customerRecords);
      customerRecords.forEach((r) => customerRows.set(r.key, r.value));
      const orderRecords = Array.from({ length: 40 }, (_, i) => ({ key: `o${i}`, value: `c${i % 10}|${i}` }));
      await produce(env.kafka, 'fk-orders', orderRecords);
      orderRecords.forEach((r) => orderRows.set(r.key, r.value));
      await consume(env.kafka, 'fk-out', 1, 60000, (out) => sameMap(replay(out), expected()));

      // Foreign keys change (the old customer is unsubscribed), a customer is renamed, one deleted,
      // an order deleted.
      const moves = Array.from({ length: 10 }, (_, i) => ({
        key: `o${i}`,
        value: `c${(i + 3) % 10}|moved${i}`,
      }));
      await produce(env.kafka, 'fk-orders', [...moves, { key: 'o39', value: null }]);
      moves.forEach((r) => orderRows.set(r.key, r.value));
      orderRows.delete('o39');
      await produce(env.kafka, 'fk-customers', [
        { key: 'c3', value: 'Renamed 3' },
        { key: 'c5', value: null },
      ]);
      customerRows.set('c3', 'Renamed 3');
      customerRows.delete('c5');
      const final = expected();
      expect(final.size).toBeLessThan(40);
      const out = await consume(env.kafka, 'fk-out', 1, 60000, (o) => sameMap(replay(o), final));
      expect(replay(out)).toEqual(final);
      // Every primary key whose row left the join got a tombstone.
      expect(out.filter((r) => r.value === null).map((r) => r.key)).toEqual(
        expect.arrayContaining(['o39', 'o2', 'o15', 'o25', 'o35']),
      );

      const admin = env.kafka.admin();
      await admin.connect();
      try {
        const counts = async (topic: string) =>
          (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions.length;
        expect(await counts('fk-app-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic')).toBe(2);
        expect(await counts('fk-app-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic')).toBe(4);
        expect(await counts('fk-app-KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010-changelog')).toBe(2);
      } finally {
        await admin.disconnect();
      }
    } finally {
      await streams.close();
    }
  });
});
