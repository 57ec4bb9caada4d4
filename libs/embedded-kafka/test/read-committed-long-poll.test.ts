/**
 * A read_committed Fetch that waits (long poll) is answered once records become readable to it, as
 * Kafka's `DelayedFetch` under `read_committed` counts only bytes below the last stable offset:
 * records appended inside a transaction still open do not wake it (it would answer with nothing,
 * and the client would fetch again at once, for every produce of the transaction); the commit
 * marker does, and the answer holds the committed records. A read_uncommitted Fetch is answered
 * by the transactional append itself.
 */
import type { Kafka } from 'kafkajs';
import { EmbeddedKafka } from '../src';
import { Encoder } from '../src/protocol/encoder';
import { kafkaFor } from './helpers/broker';
import { readFetchV4 } from './helpers/record-batch-builder';
import { RawClient } from './helpers/raw-client';

const READ_UNCOMMITTED = 0;
const READ_COMMITTED = 1;

/** Fetch v4 body for partition 0 of `topic` from offset 0, minBytes 1. */
const fetchV4 = (topic: string, maxWaitMs: number, isolationLevel: number) => (e: Encoder) => {
  e.writeInt32(-1)
    .writeInt32(maxWaitMs)
    .writeInt32(1)
    .writeInt32(1 << 20)
    .writeInt8(isolationLevel);
  e.writeInt32(1)
    .writeString(topic)
    .writeInt32(1)
    .writeInt32(0)
    .writeInt64(0)
    .writeInt32(1 << 20);
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a waiting read_committed Fetch and open transactions', () => {
  let broker: EmbeddedKafka;
  let kafka: Kafka;

  beforeAll(async () => {
    broker = await EmbeddedKafka.start({ port: 0 });
    kafka = kafkaFor(broker.bootstrapServers);
  });

  afterAll(async () => {
    await broker?.stop();
  });

  /** Creates `topic`, starts a transaction writing `value` to it and returns the transaction. */
  async function openTransaction(topic: string, value: string) {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer({
      transactionalId: `${topic}-tx`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const txn = await producer.transaction();
    return { producer, txn, send: () => txn.send({ topic, messages: [{ key: 'k', value }] }) };
  }

  it('stays waiting through appends of an open transaction and answers with the records at its commit', async () => {
    const topic = 'rc-long-poll';
    const client = await RawClient.connect(broker.bootstrapServers);
    const { producer, txn, send } = await openTransaction(topic, 'in-transaction');
    try {
      const fetched = client.request(1, 4, fetchV4(topic, 30000, READ_COMMITTED));
      await sleep(200);
      await send();
      await send();
      await sleep(500);
      // Nothing is readable yet: the Fetch still waits (the old broker answered it empty here).
      expect(client.arrivals).toEqual([]);
      await txn.commit();
      const r = readFetchV4(await fetched);
      expect(r.errorCode).toBe(0);
      expect(r.lastStableOffset).toBe(3); // two records and the commit marker
      expect(r.records.includes(Buffer.from('in-transaction'))).toBe(true);
    } finally {
      client.close();
      await producer.disconnect();
    }
  });

  it('answers a waiting read_uncommitted Fetch with the records of an open transaction', async () => {
    const topic = 'ru-long-poll';
    const client = await RawClient.connect(broker.bootstrapServers);
    const { producer, txn, send } = await openTransaction(topic, 'uncommitted');
    try {
      const fetched = client.request(1, 4, fetchV4(topic, 30000, READ_UNCOMMITTED));
      await sleep(200);
      await send();
      const r = readFetchV4(await fetched);
      expect(r.errorCode).toBe(0);
      expect(r.lastStableOffset).toBe(0);
      expect(r.records.includes(Buffer.from('uncommitted'))).toBe(true);
      await txn.abort();
    } finally {
      client.close();
      await producer.disconnect();
    }
  });
});
