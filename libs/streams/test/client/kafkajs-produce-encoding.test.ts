/**
 * The kafkajs patch encodes an uncompressed produce request's record batches in one pass
 * (`kafkajs/src/protocol/recordBatch/v0/encodeUncompressed.js`) and computes CRC-32C natively
 * (`@node-rs/crc32`), else eight bytes a step. These tests hold both to kafkajs' own encoders: the same bytes for the same messages,
 * and batches kafkajs' decoder reads back to the messages.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { randomBytes } from 'node:crypto';

type Message = {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  timestamp?: string | number;
  headers?: Record<string, Buffer | string | Array<Buffer | string>>;
};

const Encoder = require('kafkajs/src/protocol/encoder') as new (size?: number) => {
  writeInt16(v: number): unknown;
  writeInt32(v: number): unknown;
  writeString(v: string | null): unknown;
  writeArray(v: unknown[]): unknown;
  writeEncoder(v: unknown): unknown;
  buffer: Buffer;
  size(): number;
};
const Long = require('kafkajs/src/utils/long') as {
  fromInt(v: number): unknown;
  fromNumber(v: number): unknown;
  fromValue(v: string): unknown;
};
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (m: object) => unknown;
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch(args: object): Promise<{ size(): number }>;
};
const produceV3 = require('kafkajs/src/protocol/requests/produce/v3/request') as (args: object) => {
  encode(): Promise<{ buffer: Buffer }>;
};
const RecordBatchDecoder = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (
  decoder: unknown,
) => Promise<{
  records: Array<{ key: Buffer | null; value: Buffer | null; timestamp: number | string; headers: object }>;
}>;
const Decoder = require('kafkajs/src/protocol/decoder') as new (b: Buffer) => unknown;
const createRequest = require('kafkajs/src/protocol/request') as (args: {
  correlationId: number;
  clientId: string;
  request: { apiKey: number; apiVersion: number; encode(): Promise<unknown> };
}) => Promise<{ buffers?: Buffer[]; size?: number; buffer: Buffer }>;
const crc32C = require('kafkajs/src/protocol/recordBatch/crc32C') as (b: Buffer) => number;

/** kafkajs' own encoding of one partition's uncompressed batch (its v3 partitionsEncoder, unpatched). */
async function kafkajsPartition(
  partition: number,
  messages: Message[],
  transactional: boolean,
  producerId: unknown,
  producerEpoch: number,
  firstSequence: number,
) {
  const dateNow = Date.now();
  const stamps = messages
    .map((m) => m.timestamp)
    .filter((t) => t != null)
    .sort();
  const timestamps = stamps.length === 0 ? [dateNow] : stamps;
  const firstTimestamp = timestamps[0] as number;
  const records = messages.map((m, i) =>
    Record({
      ...m,
      offsetDelta: i,
      timestampDelta: ((m.timestamp || dateNow) as number) - firstTimestamp,
    }),
  );
  const batch = await RecordBatch({
    records,
    firstTimestamp,
    maxTimestamp: timestamps[timestamps.length - 1],
    producerId,
    producerEpoch,
    firstSequence,
    transactional,
    lastOffsetDelta: records.length - 1,
  });
  const e = new Encoder();
  e.writeInt32(partition);
  e.writeInt32(batch.size());
  e.writeEncoder(batch);
  return e;
}

async function kafkajsRequest(
  topics: Array<{ topic: string; partitions: Array<{ partition: number; messages: Message[] }> }>,
  transactionalId: string | null,
  producerId: unknown = transactionalId ? Long.fromNumber(4711) : Long.fromInt(-1),
) {
  const topicEncoders = [];
  for (const t of topics) {
    const parts = [];
    for (const p of t.partitions)
      parts.push(await kafkajsPartition(p.partition, p.messages, !!transactionalId, producerId, 3, 17));
    const e = new Encoder();
    e.writeString(t.topic);
    e.writeArray(parts);
    topicEncoders.push(e);
  }
  const e = new Encoder();
  e.writeString(transactionalId);
  e.writeInt16(-1);
  e.writeInt32(30000);
  e.writeArray(topicEncoders);
  return e.buffer;
}

async function patchedRequest(
  topics: Array<{ topic: string; partitions: Array<{ partition: number; messages: Message[] }> }>,
  transactionalId: string | null,
  producerId: unknown = transactionalId ? Long.fromNumber(4711) : Long.fromInt(-1),
) {
  const req = produceV3({
    acks: -1,
    timeout: 30000,
    transactionalId,
    producerId,
    producerEpoch: 3,
    topicData: topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => ({ ...p, firstSequence: 17 })),
    })),
  });
  return (await req.encode()).buffer;
}

/** A seeded pseudo-random sequence (the same messages every run). */
function seeded(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s % n;
  };
}

function randomMessages(next: (n: number) => number, count: number, base: number): Message[] {
  const out: Message[] = [];
  for (let i = 0; i < count; i++) {
    const pick = next(10);
    const m: Message = {
      key: pick < 3 ? null : pick < 6 ? randomBytes(next(40)) : `key-${next(1000)}-é`,
      value: pick === 9 ? null : pick === 8 ? `value ✓ ${next(99999)}` : randomBytes(next(400)),
      // Same number of digits: kafkajs sorts the timestamps as strings.
      // Every message with one: a missing timestamp is the wall clock's at encoding (tested below).
      timestamp: String(base + next(100_000)),
    };
    if (next(4) === 0)
      m.headers = {
        'gmart.trace': randomBytes(next(20)),
        text: 'plain ✓',
        many: [Buffer.from('a'), 'b', randomBytes(3)],
      };
    else if (next(2) === 0) m.headers = {};
    out.push(m);
  }
  return out;
}

describe('kafkajs produce encoding (patched)', () => {
  it('carries the one-pass encoder', () => {
    expect(require.resolve('kafkajs/src/protocol/recordBatch/v0/encodeUncompressed.js')).toBeTruthy();
  });

  it('computes CRC-32C (Castagnoli) as the byte-at-a-time table does', () => {
    expect(crc32C(Buffer.from('123456789')).toString(16)).toBe('e3069283');
    const source = require('node:fs').readFileSync(
      require.resolve('kafkajs/src/protocol/recordBatch/crc32C/crc32C.js'),
      'utf8',
    ) as string;
    const table = new Function(
      `return ${source.slice(source.indexOf('new Int32Array(['), source.indexOf(']);') + 2)}`,
    )() as Int32Array;
    const bytewise = (b: Buffer) => {
      let c = -1;
      for (const x of b) c = table[(c ^ x) & 0xff]! ^ (c >>> 8);
      return (c ^ -1) >>> 0;
    };
    for (let len = 0; len < 200; len++) {
      const b = randomBytes(len);
      expect(crc32C(b)).toBe(bytewise(b));
    }
    const big = randomBytes(100_003);
    expect(crc32C(big)).toBe(bytewise(big));
  });

  it('computes CRC-32C natively (@node-rs/crc32), with the slicing-by-8 JavaScript as its fallback', () => {
    const module = require('kafkajs/src/protocol/recordBatch/crc32C/crc32C.js') as ((b: Buffer) => number) & {
      jsCrc32C(b: Buffer): number;
    };
    const { crc32c } = require('@node-rs/crc32') as { crc32c(b: Uint8Array): number };
    const native = jest.fn(crc32c);
    jest.isolateModules(() => {
      jest.doMock('@node-rs/crc32', () => ({ crc32c: native }));
      const isolated = require('kafkajs/src/protocol/recordBatch/crc32C/crc32C.js') as (b: Buffer) => number;
      const b = randomBytes(1000);
      expect(isolated(b)).toBe(module.jsCrc32C(b));
      expect(native).toHaveBeenCalledTimes(1);
    });
    jest.dontMock('@node-rs/crc32');
    for (const len of [0, 1, 7, 8, 9, 63, 64, 65, 300, 4096, 100_003]) {
      const b = randomBytes(len);
      expect(module(b)).toBe(module.jsCrc32C(b));
      // The subarray of a larger buffer (a record batch inside a request) too.
      const inside = Buffer.concat([randomBytes(5), b, randomBytes(3)]).subarray(5, 5 + len);
      expect(module(inside)).toBe(module.jsCrc32C(b));
    }
    expect(module.jsCrc32C(Buffer.from('123456789')).toString(16)).toBe('e3069283');
  });

  it.each([
    ['without a transaction', null],
    ['in a transaction', 'gmart-tx-1'],
  ])('writes the bytes kafkajs writes, %s', async (_, transactionalId) => {
    const next = seeded(transactionalId ? 11 : 5);
    const base = 1_796_000_000_000;
    for (let round = 0; round < 20; round++) {
      const topics = [
        {
          topic: 'purchases',
          partitions: [0, 1, 2].map((partition) => ({
            partition,
            messages: randomMessages(next, 1 + next(60), base),
          })),
        },
        { topic: 'patterns', partitions: [{ partition: 4, messages: randomMessages(next, 1, base) }] },
      ];
      const [patched, original] = [
        await patchedRequest(topics, transactionalId),
        await kafkajsRequest(topics, transactionalId),
      ];
      expect(patched.equals(original)).toBe(true);
    }
  });

  it('writes the bytes kafkajs writes for long varints, timestamps far apart or negative, and each producer id', async () => {
    // Keys and values whose lengths take one to four varint bytes, timestamp deltas up to 2^40 (a
    // varint beyond 32 bits), offsets deltas past one byte; timestamps of one number of digits
    // (kafkajs sorts them as strings).
    const big = randomBytes(1_100_000);
    const lengths = [0, 1, 11, 12, 63, 64, 8191, 8192, 1_048_575, 1_048_576, 1_100_000];
    const messages: Message[] = lengths.map((n, i) => ({
      key: i % 2 === 0 ? big.subarray(0, Math.min(n, 70_000)) : null,
      value: big.subarray(0, n),
      timestamp: String(1_000_000_000_000 + [0, 1, 2 ** 20, 2 ** 31, 2 ** 40][i % 5]!),
    }));
    const many: Message[] = Array.from({ length: 300 }, (_, i) => ({
      key: Buffer.from([i & 0xff]),
      value: Buffer.from(`v${i}`),
      timestamp: String(1_000_000_000_000 + i),
    }));
    // (Strings that sort as their numbers do.)
    const negative: Message[] = [
      { value: 'a', timestamp: '1000' },
      { value: 'b', timestamp: '-5' },
      { value: 'c', timestamp: '2000' },
    ];
    const topics = [
      { topic: 'large', partitions: [{ partition: 0, messages }] },
      { topic: 'many', partitions: [{ partition: 3, messages: many }] },
      {
        topic: 'negative',
        partitions: [
          { partition: 1, messages: negative },
          { partition: 2, messages: [{ value: 'd', timestamp: '-70000000000' }] },
        ],
      },
    ];
    // Producer ids one after the other (the encoder keeps the last one's halves): each its own.
    for (const id of ['4711', '4711', '-1', '9007199254740993', '4712', '-1'])
      for (const transactionalId of [null, 'tx']) {
        const producerId = Long.fromValue(id);
        const [patched, original] = [
          await patchedRequest(topics, transactionalId, producerId),
          await kafkajsRequest(topics, transactionalId, producerId),
        ];
        expect(patched.equals(original)).toBe(true);
      }
  });

  it('frames the request in pieces: header and record batches, the bytes of one kafkajs request', async () => {
    const next = seeded(23);
    const topics = [
      {
        topic: 'purchases',
        partitions: [0, 1].map((p) => ({
          partition: p,
          messages: randomMessages(next, 30, 1_796_000_000_000),
        })),
      },
      {
        topic: 'rewards',
        partitions: [{ partition: 2, messages: randomMessages(next, 5, 1_796_000_000_000) }],
      },
    ];
    const request = produceV3({
      acks: -1,
      timeout: 30000,
      producerEpoch: 3,
      topicData: topics.map((t) => ({
        ...t,
        partitions: t.partitions.map((p) => ({ ...p, firstSequence: 17 })),
      })),
    }) as unknown as { apiKey: number; apiVersion: number; encode(): Promise<unknown> };
    const framed = await createRequest({ correlationId: 42, clientId: 'gmart-é', request });
    // Header, then per topic its name and partition count, then each partition's batch: no copies.
    expect(framed.buffers!.length).toBe(1 + 2 + 1 + 2);
    const joined = Buffer.concat(framed.buffers!);
    expect(framed.size).toBe(joined.length);
    expect(framed.buffer.equals(joined)).toBe(true);
    // kafkajs' own framing of the same payload: size, api key, version, correlation id, client id.
    const payload = await kafkajsRequest(topics, null);
    const header = new Encoder();
    header.writeInt16(request.apiKey);
    header.writeInt16(request.apiVersion);
    header.writeInt32(42);
    header.writeString('gmart-é');
    const body = Buffer.concat([header.buffer, payload]);
    const size = Buffer.alloc(4);
    size.writeInt32BE(body.length);
    expect(joined.equals(Buffer.concat([size, body]))).toBe(true);
  });

  it('writes batches kafkajs reads back, timestamps of any length included', async () => {
    const messages: Message[] = [
      { key: 'k1', value: Buffer.from('v1'), timestamp: '999' },
      { key: null, value: null, timestamp: '1000' },
      { value: 'v3', timestamp: 5, headers: { h: ['x', 'y'] } },
      { value: 'v4' },
    ];
    const buf = await patchedRequest([{ topic: 't', partitions: [{ partition: 0, messages }] }], null);
    // transactional id (-1), acks, timeout, topic count, topic name, partition count, partition, record set size
    const at = 2 + 2 + 4 + 4 + 2 + 1 + 4 + 4 + 4;
    const batch = await RecordBatchDecoder(new Decoder(buf.subarray(at)));
    expect(batch.records.map((r) => [r.key?.toString() ?? null, r.value?.toString() ?? null])).toEqual([
      ['k1', 'v1'],
      [null, null],
      [null, 'v3'],
      [null, 'v4'],
    ]);
    expect(batch.records.slice(0, 3).map((r) => r.timestamp)).toEqual([999, 1000, 5]);
    expect(Math.abs(Number(batch.records[3]!.timestamp) - Date.now())).toBeLessThan(60_000);
    expect(batch.records[2]!.headers).toEqual({ h: [Buffer.from('x'), Buffer.from('y')] });
  });

  it('takes numeric timestamps as they are, 0 included (the runtime hands its records over so)', async () => {
    const next = seeded(23);
    const base = 1_796_000_000_000;
    const messages = randomMessages(next, 50, base);
    const numeric = messages.map((m) => ({ ...m, timestamp: Number(m.timestamp) }));
    const [asStrings, asNumbers] = [
      await patchedRequest([{ topic: 't', partitions: [{ partition: 1, messages }] }], 'tx'),
      await patchedRequest([{ topic: 't', partitions: [{ partition: 1, messages: numeric }] }], 'tx'),
    ];
    expect(asNumbers.equals(asStrings)).toBe(true);
    const buf = await patchedRequest(
      [
        {
          topic: 't',
          partitions: [
            {
              partition: 0,
              messages: [{ value: 'a', timestamp: 0 }, { value: 'b', timestamp: 7 }, { value: 'c' }],
            },
          ],
        },
      ],
      null,
    );
    const at = 2 + 2 + 4 + 4 + 2 + 1 + 4 + 4 + 4;
    const batch = await RecordBatchDecoder(new Decoder(buf.subarray(at)));
    expect(batch.records.slice(0, 2).map((r) => r.timestamp)).toEqual([0, 7]);
    expect(Math.abs(Number(batch.records[2]!.timestamp) - Date.now())).toBeLessThan(60_000);
  });
});
