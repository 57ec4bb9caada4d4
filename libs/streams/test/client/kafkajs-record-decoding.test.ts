/**
 * The kafkajs patch decodes a record's timestamp and offset as plain numbers where they are exact
 * (below 2^53), else as Long's decimal strings. This holds the decoder to Long's results for deltas
 * and bases of every size, on records written by kafkajs' own encoder.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { randomBytes } from 'node:crypto';

type LongValue = { add(v: unknown): LongValue; multiply(v: number): LongValue; toString(): string };
const Long = require('kafkajs/src/utils/long') as {
  fromValue(v: unknown): LongValue;
  fromString(v: string): LongValue;
};
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (m: object) => { buffer: Buffer };
const RecordDecoder = require('kafkajs/src/protocol/recordBatch/record/v0/decoder') as (
  decoder: unknown,
  context: object,
) => {
  timestamp: number | string;
  offset: number | string;
  key: Buffer | null;
  value: Buffer | null;
  headers: object;
};
const Decoder = require('kafkajs/src/protocol/decoder') as new (b: Buffer) => {
  readVarInt(): number;
  offset: number;
};

const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch(args: object): Promise<{ buffer: Buffer }>;
};
const RecordBatchDecoder = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (
  decoder: unknown,
) => Promise<{
  records: Array<{
    offset: number | string;
    timestamp: number | string;
    key: Buffer | null;
    value: Buffer | null;
    headers: Record<string, Buffer | Buffer[]>;
    batchContext: object;
    undecodableBatch?: unknown;
  }>;
}>;
const Batch = require('kafkajs/src/consumer/batch') as new (
  topic: string,
  fetchedOffset: string,
  partitionData: object,
) => {
  messages: Array<{ offset: string; timestamp: string; value: Buffer | null; batchContext: object }>;
  messagesWithinOffset: Array<{ offset: string }>;
  records: Array<{
    topic: string;
    partition: number;
    offset: number | string;
    timestamp: number | string;
    value: Buffer | null;
    undecodable: unknown;
  }>;
  firstOffset(): string | null;
  lastOffset(): string;
};

/** Long's decimal `expected` as the patched decoder gives it: a number where exact, else the string. */
function exact(expected: string): number | string {
  return Number.isSafeInteger(Number(expected)) ? Number(expected) : expected;
}

const DELTAS: unknown[] = [
  0,
  1,
  -1,
  63,
  64,
  -64,
  -65,
  8191,
  2 ** 31,
  -(2 ** 31),
  1_796_538_900_512,
  -1_796_538_900_512,
  2 ** 52,
  2 ** 53 - 1,
  -(2 ** 53 - 1),
  Long.fromString('9007199254740993'),
  Long.fromString('-9007199254740993'),
  Long.fromString('4611686018427387903'),
  Long.fromString('-4611686018427387904'),
];
const BASES = [
  '0',
  '1',
  '1796538900512',
  '9007199254740990',
  '9007199254740991',
  '9223372036854000000',
  '-5',
];
const OFFSET_DELTAS = [0, 1, 127, 128, 99_999, 2 ** 30];

describe('kafkajs record decoding (patched)', () => {
  it('carries the patch', () => {
    const source = require('node:fs').readFileSync(
      require.resolve('kafkajs/src/protocol/recordBatch/record/v0/decoder.js'),
      'utf8',
    ) as string;
    expect(source).toContain('readSmallVarLong');
  });

  it("reads an int64's decimal string as kafkajs' BigInt gives it, below 2^53 and beyond", () => {
    const Int64Decoder = Decoder as unknown as new (b: Buffer) => {
      readInt64(): bigint;
      readInt64String(): string;
      offset: number;
    };
    const values = [
      0n,
      1n,
      -1n,
      255n,
      256n,
      2n ** 31n,
      -(2n ** 31n),
      2n ** 32n - 1n,
      2n ** 32n,
      -(2n ** 32n),
    ];
    for (const edge of [2n ** 53n, -(2n ** 53n), 2n ** 63n]) values.push(edge - 1n, edge, edge + 1n);
    values.push(-(2n ** 63n), 1_796_538_900_512n, -1_796_538_900_512n);
    for (let i = 0; i < 2000; i++)
      values.push(BigInt.asIntN(64, BigInt(`0x${randomBytes(8).toString('hex')}`)) >> BigInt(i % 64));
    for (const v of values) {
      const b = Buffer.alloc(11);
      b.writeBigInt64BE(BigInt.asIntN(64, v), 2);
      const [a, c] = [new Int64Decoder(b), new Int64Decoder(b)];
      a.offset = c.offset = 2;
      expect(a.readInt64String()).toBe(c.readInt64().toString());
      expect(a.offset).toBe(10);
    }
    // Past the end: as readInt64 (it throws).
    const short = new Int64Decoder(Buffer.alloc(7));
    expect(() => short.readInt64String()).toThrow(RangeError);
  });

  it('gives the timestamps and offsets Long arithmetic gives', () => {
    let n = 0;
    for (const delta of DELTAS)
      for (const base of BASES)
        for (const offsetDelta of OFFSET_DELTAS) {
          const bytes = Record({
            offsetDelta,
            timestampDelta: delta,
            key: Buffer.from('k'),
            value: Buffer.from(`v${n}`),
            headers: { h: 'x' },
          }).buffer;
          const decoder = new Decoder(bytes);
          decoder.readVarInt(); // the record's length
          const record = RecordDecoder(decoder, { firstOffset: base, firstTimestamp: base, magicByte: 2 });
          expect(record.timestamp).toBe(exact(Long.fromValue(base).add(Long.fromValue(delta)).toString()));
          expect(record.offset).toBe(exact(Long.fromValue(base).add(offsetDelta).toString()));
          expect(record.value?.toString()).toBe(`v${n}`);
          expect(record.key?.toString()).toBe('k');
          expect(record.headers).toEqual({ h: Buffer.from('x') });
          n++;
        }
  });

  /** A record batch v2 as kafkajs' own encoders write it, preceded by its first offset. */
  async function encodedBatch(
    firstOffset: string,
    messages: Array<{ key: Buffer | null; value: Buffer | null; headers: Record<string, string | string[]> }>,
  ): Promise<Buffer> {
    const records = messages.map((m, i) => Record({ ...m, offsetDelta: i, timestampDelta: i * 7 }));
    const batch = await RecordBatch({
      records,
      firstOffset: Long.fromString(firstOffset),
      firstTimestamp: 1_796_000_000_000,
      maxTimestamp: 1_796_000_000_000 + 7 * (messages.length - 1),
      lastOffsetDelta: messages.length - 1,
    });
    return batch.buffer;
  }

  it('decodes each record of an uncompressed batch in place: fields, headers, offsets, batch context', async () => {
    const messages = Array.from({ length: 50 }, (_, i) => ({
      key: i % 3 === 0 ? null : Buffer.from(`key-${i}`),
      value: i % 7 === 0 ? null : Buffer.from(`value ${i} ✓`.repeat(i % 5)),
      headers: (i % 4 === 0 ? {} : i % 4 === 1 ? { a: 'x' } : { a: ['x', 'y'], b: 'z' }) as Record<
        string,
        string | string[]
      >,
    }));
    for (const firstOffset of ['0', '12345', '9007199254740990', '9223372036854775000']) {
      const { records } = await RecordBatchDecoder(new Decoder(await encodedBatch(firstOffset, messages)));
      expect(records).toHaveLength(messages.length);
      records.forEach((r, i) => {
        expect(r.undecodableBatch).toBeUndefined();
        expect(r.offset).toBe(exact(Long.fromString(firstOffset).add(i).toString()));
        expect(r.timestamp).toBe(1_796_000_000_000 + i * 7);
        expect(r.key).toEqual(messages[i]!.key);
        expect(r.value ?? null).toEqual(
          messages[i]!.value?.length === 0 ? Buffer.alloc(0) : messages[i]!.value,
        );
        const h = messages[i]!.headers;
        expect(r.headers).toEqual(
          Object.fromEntries(
            Object.entries(h).map(([k, v]) => [
              k,
              Array.isArray(v) ? v.map((x) => Buffer.from(x)) : Buffer.from(v),
            ]),
          ),
        );
        // The batch context has kafkajs' fields only (the numeric bases are not enumerable).
        expect(Object.keys(r.batchContext).sort()).toEqual(
          [
            'firstOffset',
            'firstSequence',
            'firstTimestamp',
            'inTransaction',
            'isControlBatch',
            'lastOffsetDelta',
            'magicByte',
            'maxTimestamp',
            'partitionLeaderEpoch',
            'producerEpoch',
            'producerId',
            'timestampType',
          ].sort(),
        );
      });
    }
  });

  it('hands over a batch whose record reads past its length as one undecodable record', async () => {
    const bytes = await encodedBatch('100', [
      { key: null, value: Buffer.from('first'), headers: {} },
      { key: null, value: Buffer.from('second'), headers: {} },
    ]);
    // The first record's length varint sits after the batch header (61 bytes from FirstOffset on):
    // shrink it so that its value runs past its end.
    expect(bytes[61]).toBeGreaterThan(4);
    bytes[61] -= 4;
    const { records } = await RecordBatchDecoder(new Decoder(bytes));
    expect(records).toHaveLength(1);
    expect(records[0]!.undecodableBatch).toBeDefined();
    expect(records[0]!.offset).toBe(101);
  });

  it('drops the records below the fetched offset, comparing offsets of any size exactly', () => {
    const context = { inTransaction: false, producerId: '-1' };
    const batchOf = (fetched: string, offsets: string[]) =>
      new Batch('t', fetched, {
        partition: 0,
        highWatermark: '0',
        abortedTransactions: [],
        messages: offsets.map((offset) => ({
          offset,
          key: null,
          isControlRecord: false,
          batchContext: context,
        })),
      });
    expect(batchOf('5', ['3', '4', '5', '6']).messages.map((m) => m.offset)).toEqual(['5', '6']);
    expect(batchOf('3', ['3', '4']).messages.map((m) => m.offset)).toEqual(['3', '4']);
    expect(batchOf('7', ['3', '4']).messages).toEqual([]);
    const big = ['9007199254740992', '9007199254740993', '9007199254740994'];
    expect(batchOf('9007199254740993', big).messages.map((m) => m.offset)).toEqual(big.slice(1));
    expect(batchOf('9007199254740990', ['9007199254740989', ...big]).messages.map((m) => m.offset)).toEqual(
      big,
    );
  });

  it("gives a batch's lags and last offset as Long arithmetic gives them, below 2^53 and beyond", () => {
    const context = { inTransaction: false, producerId: '-1' };
    const minus = (a: string, b: string) =>
      Long.fromValue(a).add(-1).add(Long.fromValue(b).multiply(-1)).toString();
    const values = ['0', '1', '7', '-1', '4503599627370496', '9007199254740991', '9007199254740992'];
    values.push('9007199254740993', '-9007199254740991', '-9007199254740992', '9223372036854775000');
    let n = 0;
    for (const highWatermark of values)
      for (const first of values)
        for (const last of values) {
          const batch = new (
            Batch as unknown as new (...a: unknown[]) => {
              offsetLag(): string;
              offsetLagLow(): string;
              lastOffset(): string;
            }
          )('t', '-9223372036854775000', {
            partition: 0,
            highWatermark,
            abortedTransactions: [],
            messages: [first, last].map((offset) => ({
              offset,
              key: null,
              isControlRecord: false,
              batchContext: context,
            })),
          });
          expect(batch.offsetLag()).toBe(minus(highWatermark, last));
          expect(batch.offsetLagLow()).toBe(minus(highWatermark, first));
          n++;
        }
    expect(n).toBe(values.length ** 3);
    // Empty: the last offset is the high watermark's predecessor.
    for (const highWatermark of values) {
      const empty = new Batch('t', '0', {
        partition: 0,
        highWatermark,
        abortedTransactions: [],
        messages: [],
      });
      expect(empty.lastOffset()).toBe(Long.fromValue(highWatermark).add(-1).toString());
    }
  });

  it("hands the decoded records over as the runtime's fetched records, kafkajs' messages with decimal strings", async () => {
    const messages = Array.from({ length: 4 }, (_, i) => ({
      key: null,
      value: Buffer.from(`v${i}`),
      headers: {},
    }));
    for (const firstOffset of ['0', '1099511627776', '9007199254740989', '9223372036854775000']) {
      const { records } = await RecordBatchDecoder(new Decoder(await encodedBatch(firstOffset, messages)));
      const batch = new Batch('t', firstOffset, {
        partition: 3,
        highWatermark: Long.fromString(firstOffset).add(4).toString(),
        abortedTransactions: [],
        messages: records,
      });
      const offsets = messages.map((_, i) => Long.fromString(firstOffset).add(i).toString());
      // The records themselves, topic and partition set; offsets numbers where exact, else strings.
      expect(batch.records).toHaveLength(4);
      batch.records.forEach((r, i) => {
        expect(r).toBe(records[i]);
        expect(r.topic).toBe('t');
        expect(r.partition).toBe(3);
        expect(r.offset).toBe(exact(offsets[i]!));
        expect(r.timestamp).toBe(1_796_000_000_000 + i * 7);
        expect(r.undecodable).toBeUndefined();
        expect(r.value!.toString()).toBe(`v${i}`);
      });
      // kafkajs' public messages and offsets: decimal strings, exact.
      expect(batch.messages.map((m) => m.offset)).toEqual(offsets);
      expect(batch.messages.map((m) => m.timestamp)).toEqual(
        messages.map((_, i) => String(1_796_000_000_000 + i * 7)),
      );
      expect(batch.messages.map((m) => m.value!.toString())).toEqual(['v0', 'v1', 'v2', 'v3']);
      expect(batch.messages[0]!.batchContext).toBe(records[0]!.batchContext);
      expect(batch.firstOffset()).toBe(offsets[0]);
      expect(batch.lastOffset()).toBe(offsets[3]);
    }
  });
});
