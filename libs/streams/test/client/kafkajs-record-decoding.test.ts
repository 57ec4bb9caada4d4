/**
 * The kafkajs patch decodes a record's timestamp and offset with plain numbers where they are
 * exact (below 2^53) instead of Long arithmetic per record. This holds the decoder to Long's
 * results for deltas and bases of every size, on records written by kafkajs' own encoder.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
type LongValue = { add(v: unknown): LongValue; toString(): string };
const Long = require('kafkajs/src/utils/long') as {
  fromValue(v: unknown): LongValue;
  fromString(v: string): LongValue;
};
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (m: object) => { buffer: Buffer };
const RecordDecoder = require('kafkajs/src/protocol/recordBatch/record/v0/decoder') as (
  decoder: unknown,
  context: object,
) => { timestamp: string; offset: string; key: Buffer | null; value: Buffer | null; headers: object };
const Decoder = require('kafkajs/src/protocol/decoder') as new (b: Buffer) => {
  readVarInt(): number;
  offset: number;
};

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
          expect(record.timestamp).toBe(Long.fromValue(base).add(Long.fromValue(delta)).toString());
          expect(record.offset).toBe(Long.fromValue(base).add(offsetDelta).toString());
          expect(record.value?.toString()).toBe(`v${n}`);
          expect(record.key?.toString()).toBe('k');
          expect(record.headers).toEqual({ h: Buffer.from('x') });
          n++;
        }
  });
});
