/**
 * Flexible-version primitives (KIP-482): compact strings, bytes and arrays,
 * unsigned varints, UUIDs and tagged fields, byte for byte as the Kafka protocol
 * guide defines them (the expected bytes are written out here, not produced by
 * the encoder under test).
 */
import { Decoder } from '../../src/protocol/decoder';
import { Encoder } from '../../src/protocol/encoder';

const bytes = (e: Encoder) => [...e.toBuffer()];

describe('compact encodings', () => {
  it('writes lengths and counts as unsigned varint N+1, null as 0', () => {
    expect(bytes(new Encoder().writeCompactString('ab'))).toEqual([3, 0x61, 0x62]);
    expect(bytes(new Encoder().writeCompactString(''))).toEqual([1]);
    expect(bytes(new Encoder().writeCompactNullableString(null))).toEqual([0]);
    expect(bytes(new Encoder().writeCompactNullableBytes(null))).toEqual([0]);
    expect(bytes(new Encoder().writeCompactBytes(Buffer.from([9])))).toEqual([2, 9]);
    expect(bytes(new Encoder().writeCompactInt32Array([1]))).toEqual([2, 0, 0, 0, 1]);
    expect(bytes(new Encoder().writeCompactNullableArray(null, () => {}))).toEqual([0]);
    // 200 elements: count 201 = 0xc9 0x01 as LEB128
    expect(bytes(new Encoder().writeCompactArray(new Array(200).fill(0), () => {})).slice(0, 2)).toEqual([
      0xc9, 0x01,
    ]);
    expect(bytes(new Encoder().writeUnsignedVarInt(300))).toEqual([0xac, 0x02]);
  });

  it('reads back what the protocol guide defines, including nulls and multi-byte lengths', () => {
    const long = 'x'.repeat(130);
    const d = new Decoder(
      Buffer.concat([
        Buffer.from([4, 0x68, 0xc3, 0xa9]), // "hé"
        Buffer.from([0]),
        Buffer.from([131, 1]),
        Buffer.from(long),
        Buffer.from([3, 0, 0, 0, 7, 0, 0, 0, 8]),
        Buffer.from([0]),
        Buffer.from([2, 0xff]),
      ]),
    );
    expect(d.readCompactString()).toBe('hé');
    expect(d.readCompactNullableString()).toBeNull();
    expect(d.readCompactString()).toBe(long);
    expect(d.readCompactInt32Array()).toEqual([7, 8]);
    expect(d.readCompactNullableArray((x) => x.readInt8())).toBeNull();
    expect([...d.readCompactBytes()]).toEqual([0xff]);
    expect(d.remaining()).toBe(0);
  });

  it('refuses null where a value is required and lengths beyond the frame', () => {
    expect(() => new Decoder(Buffer.from([0])).readCompactString()).toThrow(/null compact string/);
    expect(() => new Decoder(Buffer.from([0])).readCompactArray((x) => x.readInt8())).toThrow(
      /null compact array/,
    );
    expect(() => new Decoder(Buffer.from([10, 1, 2])).readCompactString()).toThrow(
      /length 9 exceeds the 2 bytes/,
    );
    expect(() =>
      new Decoder(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f])).readCompactArray((x) => x.readInt8()),
    ).toThrow(/exceeds/);
    expect(() => new Decoder(Buffer.from([0x80, 0x80])).readUnsignedVarInt()).toThrow(
      /truncated request: varint/,
    );
  });

  it('round-trips UUIDs as 16 raw bytes', () => {
    const id = '0123456789abcdef0123456789abcdef';
    const e = new Encoder().writeUuid('01234567-89ab-cdef-0123-456789abcdef');
    expect(e.toBuffer().toString('hex')).toBe(id);
    expect(new Decoder(e.toBuffer()).readUuid()).toBe(id);
    expect(() => new Encoder().writeUuid('nope')).toThrow(/not a UUID/);
  });
});

describe('tagged fields', () => {
  it('writes an empty tag buffer as a single zero and given fields in tag order', () => {
    expect(bytes(new Encoder().writeTaggedFields())).toEqual([0]);
    const fields = new Map([
      [5, Buffer.from([0xaa])],
      [1, Buffer.from([0xbb, 0xcc])],
    ]);
    expect(bytes(new Encoder().writeTaggedFields(fields))).toEqual([2, 1, 2, 0xbb, 0xcc, 5, 1, 0xaa]);
  });

  it('reads fields by tag, skipping their bytes whatever they hold', () => {
    const d = new Decoder(Buffer.from([2, 0, 3, 1, 2, 3, 7, 0, 0x42]));
    const tags = d.readTaggedFields();
    expect([...tags.keys()]).toEqual([0, 7]);
    expect([...tags.get(0)!]).toEqual([1, 2, 3]);
    expect(tags.get(7)!.length).toBe(0);
    expect(d.readInt8()).toBe(0x42);
  });

  it('refuses tags out of order, sizes beyond the frame and absurd counts', () => {
    expect(() => new Decoder(Buffer.from([2, 3, 0, 1, 0])).readTaggedFields()).toThrow(/out of order/);
    expect(() => new Decoder(Buffer.from([1, 0, 9, 1])).readTaggedFields()).toThrow(/truncated request/);
    expect(() => new Decoder(Buffer.from([100])).readTaggedFields()).toThrow(/tagged field count 100/);
  });
});
