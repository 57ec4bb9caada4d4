import { EmbeddedKafka } from '../src';
import { ErrorCode } from '../src/protocol/error-codes';
import { kafkaFor } from './helpers/broker';
import { readLines } from './helpers/read-lines';
import { RawClient } from './helpers/raw-client';
import { buildBatch, produceBody, readProduceV3 } from './helpers/record-batch-builder';

describe('producing to the embedded broker', () => {
  let broker: EmbeddedKafka;

  beforeAll(async () => {
    broker = await EmbeddedKafka.start({ port: 0 });
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it('stores plain records in order, readable by a consumer', async () => {
    const producer = kafkaFor(broker.bootstrapServers).producer();
    await producer.connect();
    for (let i = 0; i < 3; i++) {
      await producer.send({
        topic: 'plain',
        acks: -1,
        messages: Array.from({ length: 100 }, (_, j) => ({
          key: `k${i * 100 + j}`,
          value: `v${i * 100 + j}`,
        })),
      });
    }
    await producer.disconnect();
    const lines = await readLines(broker.bootstrapServers, 'plain', '%k=%s@%o\\n');
    expect(lines).toHaveLength(300);
    expect(lines[0]).toBe('k0=v0@0');
    expect(lines[299]).toBe('k299=v299@299');
  });

  it('keeps records with the same key on one partition (keyed partitioning)', async () => {
    const admin = kafkaFor(broker.bootstrapServers).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'keyed', numPartitions: 4 }] });
    await admin.disconnect();
    const producer = kafkaFor(broker.bootstrapServers).producer();
    await producer.connect();
    const keys = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
    const sent = await producer.send({
      topic: 'keyed',
      messages: keys.flatMap((k) => [1, 2, 3].map((n) => ({ key: k, value: `${k}-${n}` }))),
    });
    await producer.disconnect();
    expect(sent.every((r) => r.errorCode === 0)).toBe(true);
    const partitionsOfKey = new Map<string, Set<number>>();
    for (let p = 0; p < 4; p++) {
      const lines = await readLines(broker.bootstrapServers, 'keyed', '%k=%s\\n', ['-p', String(p)]);
      for (const l of lines) {
        const key = l.split('=')[0]!;
        if (!partitionsOfKey.has(key)) partitionsOfKey.set(key, new Set());
        partitionsOfKey.get(key)!.add(p);
      }
      // Per-key order within the partition.
      for (const k of keys) {
        const vals = lines.filter((l) => l.startsWith(`${k}=`));
        if (vals.length > 0) expect(vals).toEqual([`${k}=${k}-1`, `${k}=${k}-2`, `${k}=${k}-3`]);
      }
    }
    expect([...partitionsOfKey.keys()].sort()).toEqual([...keys].sort());
    for (const set of partitionsOfKey.values()) expect(set.size).toBe(1);
    expect(new Set([...partitionsOfKey.values()].map((s) => [...s][0])).size).toBeGreaterThan(1);
  });

  it('writes every record of an idempotent kafkajs producer exactly once', async () => {
    const producer = kafkaFor(broker.bootstrapServers).producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (let i = 0; i < 20; i++) {
      await producer.send({ topic: 'idem', acks: -1, messages: [{ key: `k${i}`, value: `v${i}` }] });
    }
    await producer.disconnect();
    const lines = await readLines(broker.bootstrapServers, 'idem');
    expect(lines).toEqual(Array.from({ length: 20 }, (_, i) => `k${i}=v${i}`));
  });

  it('answers an injected duplicate batch with its original offset and refuses gaps and old epochs', async () => {
    const client = await RawClient.connect(broker.bootstrapServers);
    try {
      // InitProducerId v0.
      const init = await client.request(22, 0, (e) => e.writeNullableString(null).writeInt32(60000));
      init.readInt32();
      expect(init.readInt16()).toBe(0);
      const producerId = init.readInt64();
      const epoch = init.readInt16();
      // Metadata v1 auto-creates the topic.
      await client.request(3, 1, (e) => e.writeArray(['dup'], (x, t) => x.writeString(t)));
      const batch = (seq: number, ep = epoch, n = 2) =>
        buildBatch({
          producerId,
          producerEpoch: ep,
          baseSequence: seq,
          records: Array.from({ length: n }, (_, i) => ({ key: `s${seq + i}`, value: `v${seq + i}` })),
        });

      const first = readProduceV3(await client.request(0, 3, produceBody('dup', 0, batch(0))));
      expect(first).toEqual({ errorCode: 0, baseOffset: 0 });
      const second = readProduceV3(await client.request(0, 3, produceBody('dup', 0, batch(2))));
      expect(second).toEqual({ errorCode: 0, baseOffset: 2 });
      // The same first batch again (a client retry): no new records, original offset.
      const dup = readProduceV3(await client.request(0, 3, produceBody('dup', 0, batch(0))));
      expect(dup).toEqual({ errorCode: 0, baseOffset: 0 });
      // A gap in the sequence.
      const gap = readProduceV3(await client.request(0, 3, produceBody('dup', 0, batch(10))));
      expect(gap.errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
      // A new epoch starts at 0; the old epoch is fenced afterwards.
      const bumped = readProduceV3(await client.request(0, 3, produceBody('dup', 0, batch(0, epoch + 1))));
      expect(bumped).toEqual({ errorCode: 0, baseOffset: 4 });
      const fenced = readProduceV3(await client.request(0, 3, produceBody('dup', 0, batch(4, epoch))));
      expect(fenced.errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    } finally {
      client.close();
    }
    const lines = await readLines(broker.bootstrapServers, 'dup');
    expect(lines).toEqual(['s0=v0', 's1=v1', 's2=v2', 's3=v3', 's0=v0', 's1=v1']);
  });

  it('sends no response for acks=0 but stores the records', async () => {
    const client = await RawClient.connect(broker.bootstrapServers);
    try {
      await client.request(3, 1, (e) => e.writeArray(['acks0'], (x, t) => x.writeString(t)));
      client
        .request(0, 3, produceBody('acks0', 0, buildBatch({ records: [{ key: 'a', value: '1' }] }), 0))
        .catch(() => {});
      // A following request is answered; the acks=0 one never is.
      const md = await client.request(3, 1, (e) => e.writeArray(['acks0'], (x, t) => x.writeString(t)));
      expect(md).toBeDefined();
      expect(client.arrivals).toEqual([1, 3]);
    } finally {
      client.close();
    }
    expect(await readLines(broker.bootstrapServers, 'acks0')).toEqual(['a=1']);
  });
});
