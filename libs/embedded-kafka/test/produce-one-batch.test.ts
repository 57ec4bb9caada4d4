import type { EmbeddedKafka } from '../src';
import type { Decoder } from '../src/protocol/decoder';
import type { Encoder } from '../src/protocol/encoder';
import { ErrorCode } from '../src/protocol/error-codes';
import { brokerPerTest, kafkaFor, memoryLogger, readBack } from './helpers/broker';
import { RawClient } from './helpers/raw-client';
import { buildBatch } from './helpers/record-batch-builder';

const batch = (...values: string[]) => buildBatch({ records: values.map((v) => ({ key: v, value: v })) });

/** A Produce body (v2-v8 layout; the transactional id from v3) for several partitions of one topic. */
function produceBody(topic: string, partitions: [number, Buffer][], version = 3) {
  return (e: Encoder) => {
    if (version >= 3) e.writeNullableString(null);
    e.writeInt16(-1).writeInt32(30000);
    e.writeInt32(1).writeString(topic).writeInt32(partitions.length);
    for (const [index, records] of partitions) e.writeInt32(index).writeBytes(records);
  };
}

interface PartitionAnswer {
  index: number;
  errorCode: number;
  baseOffset: number;
  logStartOffset: number;
  errorMessage: string | null;
}

/** Reads a Produce v8 response of one topic. */
function readProduceV8(d: Decoder): PartitionAnswer[] {
  d.readInt32();
  d.readString();
  const out: PartitionAnswer[] = [];
  for (let n = d.readInt32(); n > 0; n--) {
    const index = d.readInt32();
    const errorCode = d.readInt16();
    const baseOffset = d.readInt64();
    d.readInt64(); // log append time
    const logStartOffset = d.readInt64();
    for (let e = d.readInt32(); e > 0; e--) {
      d.readInt32();
      d.readNullableString();
    }
    out.push({ index, errorCode, baseOffset, logStartOffset, errorMessage: d.readNullableString() });
  }
  return out;
}

/** Reads a Produce v2-v4 response of one topic: each partition's error code and base offset. */
function readProduceV3(d: Decoder): [number, number][] {
  d.readInt32();
  d.readString();
  const out: [number, number][] = [];
  for (let n = d.readInt32(); n > 0; n--) {
    d.readInt32();
    out.push([d.readInt16(), d.readInt64()]);
    d.readInt64(); // log append time
  }
  return out;
}

/**
 * Kafka takes exactly one record batch per partition in a Produce request (`ProduceRequest.validateRecords`
 * from v3, and its log validator for any magic-2 record set): a second batch fails that partition with
 * INVALID_RECORD (no offsets, no message), and the request's other partitions are appended as usual.
 * The embedded broker must refuse the same, or a client that relies on it would fail on Kafka.
 */
describe('Produce: one record batch per partition', () => {
  const start = brokerPerTest();
  let broker: EmbeddedKafka;
  const log = memoryLogger();

  async function endOffsets(topic: string): Promise<Record<number, string>> {
    const admin = kafkaFor(broker.bootstrapServers).admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return Object.fromEntries(offsets.map((o) => [o.partition, o.high]));
    } finally {
      await admin.disconnect();
    }
  }

  beforeEach(async () => {
    broker = await start({ port: 0, logger: log.logger });
    broker.logManager.createTopic('two', 2, {});
  });

  it('refuses two batches for one partition with INVALID_RECORD, appends the other partitions', async () => {
    const client = await RawClient.connect(broker.bootstrapServers);
    try {
      const two = Buffer.concat([batch('a', 'b'), batch('c')]);
      expect(
        readProduceV8(
          await client.request(
            0,
            8,
            produceBody('two', [
              [0, two],
              [1, batch('x', 'y')],
            ]),
          ),
        ),
      ).toEqual([
        {
          index: 0,
          errorCode: ErrorCode.INVALID_RECORD,
          baseOffset: -1,
          logStartOffset: -1,
          errorMessage: null,
        },
        { index: 1, errorCode: 0, baseOffset: 0, logStartOffset: 0, errorMessage: null },
      ]);
      // The same at v3, and nothing of the refused set was written.
      expect(
        readProduceV3(
          await client.request(
            0,
            3,
            produceBody('two', [
              [1, batch('z')],
              [0, Buffer.concat([batch('d'), batch('e'), batch('f')])],
            ]),
          ),
        ),
      ).toEqual([
        [0, 2],
        [ErrorCode.INVALID_RECORD, -1],
      ]);
      expect(await endOffsets('two')).toEqual({ 0: '0', 1: '3' });
      // One batch for the partition is taken.
      expect(readProduceV3(await client.request(0, 3, produceBody('two', [[0, batch('g', 'h')]])))).toEqual([
        [0, 0],
      ]);
      expect(await endOffsets('two')).toEqual({ 0: '2', 1: '3' });
    } finally {
      client.close();
    }
    expect(log.lines.some((l) => /exactly one record batch per partition/.test(l))).toBe(true);
  });

  it('answers the rest of validateRecords as Kafka: no whole batch, zstd before v7', async () => {
    const client = await RawClient.connect(broker.bootstrapServers);
    try {
      const one = batch('a');
      const answer = async (version: number, records: Buffer) =>
        readProduceV3(await client.request(0, version, produceBody('two', [[0, records]], version)))[0]![0];
      // A batch cut short: Kafka's batch iterator finds no whole batch.
      expect(await answer(3, one.subarray(0, one.length - 1))).toBe(ErrorCode.INVALID_RECORD);
      // A whole batch followed by a cut one: the iterator ends at the first, so it is taken (Kafka
      // trims the rest), whereas this broker refuses trailing bytes as CORRUPT_MESSAGE (stricter).
      expect(await answer(3, Buffer.concat([one, one.subarray(0, 30)]))).toBe(ErrorCode.CORRUPT_MESSAGE);
      // A length below the smallest record: Kafka's iterator throws CorruptRecordException.
      const tiny = Buffer.from(one);
      tiny.writeInt32BE(10, 8);
      expect(await answer(3, tiny)).toBe(ErrorCode.CORRUPT_MESSAGE);
      // Magic 1 from v3: INVALID_RECORD (this broker's own UNSUPPORTED_FOR_MESSAGE_FORMAT before v3).
      const magic1 = Buffer.from(one);
      magic1.writeInt8(1, 16);
      expect(await answer(3, magic1)).toBe(ErrorCode.INVALID_RECORD);
      // zstd before Produce v7.
      const zstd = buildBatch({ records: [{ key: 'k', value: 'v' }], attributes: 4 });
      expect(await answer(3, zstd)).toBe(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
      expect(await answer(6, zstd)).toBe(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
      // Two batches before v3 too (Kafka's log validator refuses a magic-2 set of several batches).
      expect(await answer(2, Buffer.concat([one, one]))).toBe(ErrorCode.INVALID_RECORD);
      expect(await endOffsets('two')).toEqual({ 0: '0', 1: '0' });
    } finally {
      client.close();
    }
  });

  it('takes what kafkajs sends: one batch per partition, also for a topic given twice in sendBatch', async () => {
    const kafka = kafkaFor(broker.bootstrapServers);
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    try {
      const values = (prefix: string) =>
        Array.from({ length: 50 }, (_, i) => ({ value: `${prefix}${i}`, partition: i % 2 }));
      await producer.sendBatch({
        topicMessages: [
          { topic: 'two', messages: values('a') },
          { topic: 'two', messages: values('b') },
        ],
      });
    } finally {
      await producer.disconnect();
    }
    expect(await endOffsets('two')).toEqual({ 0: '50', 1: '50' });
    const got = await readBack(kafka, 'one-batch', ['two'], 100);
    expect(got.map((m) => m.value).sort()).toEqual(
      [
        ...Array.from({ length: 50 }, (_, i) => `a${i}`),
        ...Array.from({ length: 50 }, (_, i) => `b${i}`),
      ].sort(),
    );
  });
});
