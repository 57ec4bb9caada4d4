/**
 * Produce v8-v11 and Fetch v12-v17 over TCP with exactly chosen bytes: compact
 * records, error messages (Produce v8+), topics by id (Fetch v13+), and that a
 * batch produced flexibly comes back byte for byte through both families.
 */
import { EmbeddedKafka } from '../../src';
import { ErrorCode } from '../../src/protocol/error-codes';
import type { Decoder } from '../../src/protocol/decoder';
import type { Encoder } from '../../src/protocol/encoder';
import { RawClient } from '../helpers/raw-client';
import { buildBatch } from '../helpers/record-batch-builder';

const flexible = { flexible: true };

/** Produce v9+ body for one partition. */
const produceV9 = (topic: string, partition: number, records: Buffer) => (e: Encoder) => {
  e.writeCompactNullableString(null).writeInt16(-1).writeInt32(30000);
  e.writeCompactArray([topic], (x, t) => {
    x.writeCompactString(t);
    x.writeCompactArray([partition], (y, p) =>
      y.writeInt32(p).writeCompactBytes(records).writeTaggedFields(),
    );
    x.writeTaggedFields();
  });
  e.writeTaggedFields();
};

const readProduceV9 = (d: Decoder) => {
  const out = d.readCompactArray((x) => {
    const name = x.readCompactString();
    const partitions = x.readCompactArray((y) => {
      const p = {
        index: y.readInt32(),
        errorCode: y.readInt16(),
        baseOffset: y.readInt64(),
        logAppendTime: y.readInt64(),
        logStartOffset: y.readInt64(),
        recordErrors: y.readCompactArray((z) => z.readInt32()),
        errorMessage: y.readCompactNullableString(),
      };
      y.readTaggedFields();
      return p;
    });
    x.readTaggedFields();
    return { name, partitions };
  });
  const throttle = d.readInt32();
  d.readTaggedFields();
  return { out, throttle, rest: d.remaining() };
};

/** Fetch v12+ body: one topic (by name for v12, by id for v13+), one partition. */
const fetchFlexible =
  (version: number, topic: string, offset: number) =>
  (e: Encoder): void => {
    if (version <= 14) e.writeInt32(-1);
    e.writeInt32(0)
      .writeInt32(1)
      .writeInt32(1 << 20)
      .writeInt8(0)
      .writeInt32(0)
      .writeInt32(-1);
    e.writeCompactArray([topic], (x, t) => {
      if (version >= 13) x.writeUuid(t);
      else x.writeCompactString(t);
      x.writeCompactArray([0], (y, p) =>
        y
          .writeInt32(p)
          .writeInt32(-1)
          .writeInt64(offset)
          .writeInt32(-1)
          .writeInt64(-1)
          .writeInt32(1 << 20)
          .writeTaggedFields(),
      );
      x.writeTaggedFields();
    });
    e.writeCompactArray([], () => {});
    e.writeCompactString('');
    e.writeTaggedFields();
  };

const readFetchFlexible = (d: Decoder, version: number) => {
  const throttle = d.readInt32();
  const errorCode = d.readInt16();
  const sessionId = d.readInt32();
  const topics = d.readCompactArray((x) => {
    const topic = version >= 13 ? x.readUuid() : x.readCompactString();
    const partitions = x.readCompactArray((y) => {
      const p = {
        partition: y.readInt32(),
        errorCode: y.readInt16(),
        highWatermark: y.readInt64(),
        lastStable: y.readInt64(),
        logStart: y.readInt64(),
        aborted: y.readCompactNullableArray((z) => [z.readInt64(), z.readInt64(), z.readTaggedFields()]),
        preferred: y.readInt32(),
        records: y.readCompactNullableBytes(),
      };
      y.readTaggedFields();
      return p;
    });
    x.readTaggedFields();
    return { topic, partitions };
  });
  d.readTaggedFields();
  return { throttle, errorCode, sessionId, topics, rest: d.remaining() };
};

describe('Produce v8-v11 and Fetch v12-v17', () => {
  let broker: EmbeddedKafka;
  let client: RawClient;
  const batch = buildBatch({
    records: [
      { key: 'k1', value: 'v1' },
      { key: 'k2', value: null },
    ],
  });
  let topicId: string;

  beforeAll(async () => {
    broker = await EmbeddedKafka.start({ port: 0 });
    client = await RawClient.connect(broker.bootstrapServers);
    await client.request(3, 4, (e) => e.writeArray(['pf'], (x, t) => x.writeString(t)).writeBoolean(true));
    topicId = broker.logManager.topic('pf')!.topicId;
  });

  afterAll(async () => {
    client?.close();
    await broker?.stop();
  });

  it.each([9, 10, 11])(
    'Produce v%i appends a compact record set and answers in the flexible layout',
    async (v) => {
      const r = readProduceV9(await client.request(0, v, produceV9('pf', 0, batch), flexible));
      expect(r.rest).toBe(0);
      expect(r.out).toHaveLength(1);
      expect(r.out[0]!.name).toBe('pf');
      const p = r.out[0]!.partitions[0]!;
      expect(p).toMatchObject({
        index: 0,
        errorCode: 0,
        recordErrors: [],
        errorMessage: null,
        logStartOffset: 0,
      });
      expect(p.baseOffset).toBe((v - 9) * 2);
    },
  );

  it('Produce v9 names why a corrupt batch was refused, and v8 does too in the non-flexible layout', async () => {
    const bad = Buffer.from(batch);
    bad[bad.length - 1] ^= 0xff;
    const r = readProduceV9(await client.request(0, 9, produceV9('pf', 0, bad), flexible));
    expect(r.out[0]!.partitions[0]!.errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect(r.out[0]!.partitions[0]!.errorMessage).toMatch(/CRC/);

    const d = await client.request(0, 8, (e) => {
      e.writeNullableString(null).writeInt16(-1).writeInt32(30000);
      e.writeInt32(1).writeString('pf').writeInt32(1).writeInt32(0).writeBytes(bad);
    });
    d.readInt32();
    expect(d.readString()).toBe('pf');
    d.readInt32();
    expect(d.readInt32()).toBe(0);
    expect(d.readInt16()).toBe(ErrorCode.CORRUPT_MESSAGE);
    d.readInt64();
    d.readInt64();
    d.readInt64();
    expect(d.readArray((x) => x.readInt32())).toEqual([]);
    expect(d.readNullableString()).toMatch(/CRC/);
    expect(d.readInt32()).toBe(0);
    expect(d.remaining()).toBe(0);
  });

  it.each([12, 13, 15, 17])('Fetch v%i returns the produced batches byte for byte', async (v) => {
    const r = readFetchFlexible(
      await client.request(1, v, fetchFlexible(v, v >= 13 ? topicId : 'pf', 0), flexible),
      v,
    );
    expect(r.rest).toBe(0);
    expect([r.errorCode, r.sessionId]).toEqual([0, 0]);
    expect(r.topics[0]!.topic).toBe(v >= 13 ? topicId : 'pf');
    const p = r.topics[0]!.partitions[0]!;
    expect(p).toMatchObject({
      partition: 0,
      errorCode: 0,
      highWatermark: 6,
      lastStable: 6,
      logStart: 0,
      preferred: -1,
    });
    // three batches of two records: the stored bytes equal the sent batch except
    // base offset (8 bytes), partition leader epoch (4) and CRC (covers neither)
    const records = p.records!;
    expect(records.length).toBe(batch.length * 3);
    for (let i = 0; i < 3; i++) {
      const stored = records.subarray(i * batch.length, (i + 1) * batch.length);
      expect(stored.readBigInt64BE(0)).toBe(BigInt(i * 2));
      expect(stored.subarray(21)).toEqual(batch.subarray(21));
    }
  });

  it('Fetch v13 answers UNKNOWN_TOPIC_ID for an id no topic has', async () => {
    const r = readFetchFlexible(
      await client.request(1, 13, fetchFlexible(13, 'ab'.repeat(16), 0), flexible),
      13,
    );
    expect(r.topics[0]!.topic).toBe('ab'.repeat(16));
    expect(r.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_ID);
    expect(r.topics[0]!.partitions[0]!.records).toEqual(Buffer.alloc(0));
  });

  it('closes the connection on a Fetch v13 cut inside a topic id, and keeps serving others', async () => {
    const bad = await RawClient.connect(broker.bootstrapServers);
    const reply = bad
      .request(
        1,
        13,
        (e) =>
          e
            .writeInt32(-1)
            .writeInt32(0)
            .writeInt32(1)
            .writeInt32(1)
            .writeInt8(0)
            .writeInt32(0)
            .writeInt32(-1)
            .writeUnsignedVarInt(2)
            .writeInt32(7),
        flexible,
      )
      .catch((err: Error) => err.message);
    expect(await reply).toMatch(/closed before response/);
    const r = readFetchFlexible(await client.request(1, 12, fetchFlexible(12, 'pf', 6), flexible), 12);
    expect(r.topics[0]!.partitions[0]!.errorCode).toBe(0);
  });
});
