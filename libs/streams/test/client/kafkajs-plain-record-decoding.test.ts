/**
 * The kafkajs patch decodes the usual record of an uncompressed batch straight from the batch's
 * bytes (`kafkajs/src/protocol/recordBatch/record/v0/decodePlainRecord.js`), else with its record
 * decoder. This holds the direct path to the record decoder on records of every kind kafkajs' own
 * encoder writes, cut at every length: where it takes a record, the same record, the decoder left
 * where the record decoder leaves it; where it does not, nothing taken.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { randomBytes } from 'node:crypto';

const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (m: object) => { buffer: Buffer };
type Bases = { offset: number | string; timestamp: number | string; maxTimestamp: number | string };
const RecordDecoder = require('kafkajs/src/protocol/recordBatch/record/v0/decoder') as ((
  decoder: unknown,
  context: object,
  bases?: Bases,
) => Record<string, unknown>) & {
  exactNumber(v: string): number | string;
};
const decodePlainRecord = require('kafkajs/src/protocol/recordBatch/record/v0/decodePlainRecord') as (
  decoder: unknown,
  context: object,
  bases: Bases,
  end: number,
) => Record<string, unknown> | null;
const Decoder = require('kafkajs/src/protocol/decoder') as new (b: Buffer) => {
  readVarInt(): number;
  offset: number;
  buffer: Buffer;
};

/** A batch context as the record batch decoder makes it, and its numeric bases. */
function context(firstOffset: string, firstTimestamp: string, extra: object = {}): [object, Bases] {
  const c = {
    firstOffset,
    firstTimestamp,
    partitionLeaderEpoch: 0,
    inTransaction: false,
    isControlBatch: false,
    lastOffsetDelta: 0,
    producerId: '-1',
    producerEpoch: 0,
    firstSequence: 0,
    maxTimestamp: firstTimestamp,
    timestampType: 0,
    magicByte: 2,
    ...extra,
  };
  const bases = {
    offset: RecordDecoder.exactNumber(firstOffset),
    timestamp: RecordDecoder.exactNumber(firstTimestamp),
    maxTimestamp: RecordDecoder.exactNumber(c.maxTimestamp),
  };
  return [c, bases];
}

/**
 * The same fields, in the same order (one object shape): buffers of the same bytes, headers with
 * the same keys and values, the rest identical.
 */
function same(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  if (keys.join() !== Object.keys(b).join()) return false;
  return keys.every((k) => {
    const x = a[k];
    const y = b[k];
    if (Buffer.isBuffer(x)) return Buffer.isBuffer(y) && x.equals(y);
    if (k === 'headers') return JSON.stringify(x) === JSON.stringify(y);
    return x === y;
  });
}

// Lengths of one to four varint bytes (as zig-zag: 63 and 64 either side of one byte, ...).
const KEYS = [null, Buffer.alloc(0), Buffer.from('k'), randomBytes(64), randomBytes(9000)];
const VALUES = [null, Buffer.from('a value'), randomBytes(63), randomBytes(333), randomBytes(1_100_000)];
const TIMESTAMP_DELTAS = [0, 1, -1, 63, -65, 8191, 2 ** 20, -(2 ** 27), 2 ** 27, 2 ** 28, 2 ** 31, 2 ** 40];
const OFFSET_DELTAS = [0, 1, 64, 8191, 2 ** 20, 2 ** 27, 2 ** 30];
const HEADERS = [{}, { h: 'x' }];
const CONTEXTS = [
  context('0', '0'),
  context('1796538900512', '1796000000000'),
  context('9007199254740990', '1796000000000'),
  context('5', '9007199254740990'),
  context('9223372036854000000', '-5'),
  context('12', '1796000000000', { timestampType: 1, maxTimestamp: '1796000099999' }),
  context('12', '1796000000000', { isControlBatch: true }),
  context('12', '1796000000000', { isControlBatch: undefined }),
];

describe('kafkajs plain record decoding (patched)', () => {
  it('carries the patch', () => {
    const source = require('node:fs').readFileSync(
      require.resolve('kafkajs/src/protocol/recordBatch/v0/decoder.js'),
      'utf8',
    ) as string;
    expect(source).toContain('decodePlainRecord(decoder, recordContext, bases, end)');
  });

  it("decodes a record as kafkajs' record decoder does, or leaves it to it", () => {
    let taken = 0;
    let left = 0;
    const wrong: string[] = [];
    for (const key of KEYS)
      for (const value of VALUES)
        for (const timestampDelta of TIMESTAMP_DELTAS)
          for (const offsetDelta of OFFSET_DELTAS)
            for (const headers of HEADERS) {
              // A record after some other bytes, as in a batch.
              const record = Record({ key, value, timestampDelta, offsetDelta, headers }).buffer;
              const bytes = Buffer.concat([randomBytes(3), record, randomBytes(2)]);
              for (const [ctx, bases] of CONTEXTS) {
                const reference = new Decoder(bytes);
                reference.offset = 3;
                const length = reference.readVarInt();
                const start = reference.offset;
                const expected = RecordDecoder(reference, ctx, bases);
                expect(reference.offset).toBe(start + length);
                // Its true end, then ends cut short (every one for small records).
                const ends =
                  length < 40
                    ? Array.from({ length: length + 1 }, (_, i) => start + i)
                    : [start, start + 1, start + length - 2, start + length - 1, start + length];
                for (const end of ends) {
                  const decoder = new Decoder(bytes);
                  decoder.offset = start;
                  const got = decodePlainRecord(decoder, ctx, bases, end);
                  const what = `${key?.length}/${value?.length}/${timestampDelta}/${offsetDelta}/${JSON.stringify(headers)}/${end - start} of ${length}`;
                  if (got === null) {
                    if (decoder.offset !== start) wrong.push(`moved: ${what}`);
                    left++;
                    continue;
                  }
                  taken++;
                  if (end !== start + length) wrong.push(`taken cut short: ${what}`);
                  else if (decoder.offset !== start + length) wrong.push(`ends elsewhere: ${what}`);
                  else if (!same(got, expected) || got.batchContext !== ctx) wrong.push(`differs: ${what}`);
                }
              }
            }
    expect(wrong).toEqual([]);
    // Both paths taken: the usual records directly, the others by the record decoder.
    expect(taken).toBeGreaterThan(1000);
    expect(left).toBeGreaterThan(1000);
  });

  it('takes the usual records: no headers, small varints, exact offsets and timestamps', () => {
    const record = Record({
      key: Buffer.from('sym'),
      value: randomBytes(96),
      timestampDelta: 12,
      offsetDelta: 3,
      headers: {},
    }).buffer;
    const decoder = new Decoder(record);
    const length = decoder.readVarInt();
    const [ctx, bases] = context('100', '1796000000000');
    const got = decodePlainRecord(decoder, ctx, bases, decoder.offset + length);
    expect(got).toMatchObject({ offset: 103, timestamp: 1_796_000_000_012, headers: {} });
  });
});
