import { SerializationError, Serdes } from '../../src';

describe('Serdes', () => {
  it('String round-trips and keeps null', () => {
    const s = Serdes.String();
    expect(s.deserializer().deserialize('t', s.serializer().serialize('t', 'héllo'))).toBe('héllo');
    expect(s.serializer().serialize('t', null)).toBeNull();
    expect(s.deserializer().deserialize('t', null)).toBeNull();
  });

  it('Long is Kafka 8-byte big-endian', () => {
    const s = Serdes.Long();
    expect(s.serializer().serialize('t', 1)).toEqual(Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]));
    expect(s.serializer().serialize('t', -2)).toEqual(Buffer.from([255, 255, 255, 255, 255, 255, 255, 254]));
    expect(s.deserializer().deserialize('t', Buffer.from([0, 0, 0, 1, 0, 0, 0, 0]))).toBe(4294967296);
    expect(s.deserializer().deserialize('t', Buffer.from([0x7f, 255, 255, 255, 255, 255, 255, 255]))).toBe(
      9223372036854775807n,
    );
    expect(() => s.deserializer().deserialize('t', Buffer.from([1, 2]))).toThrow(SerializationError);
    expect(() => s.serializer().serialize('t', 1.5)).toThrow(/non-integer/);
  });

  it('Long reads and writes exactly what a BigInt int64 codec does, across the safe-integer edges', () => {
    const s = Serdes.Long();
    /** The reference: int64 big-endian through BigInt, a number when it is a safe integer. */
    const refWrite = (v: number | bigint) => {
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(BigInt(v));
      return b;
    };
    const refRead = (b: Buffer) => {
      const v = b.readBigInt64BE(0);
      return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
    };
    const numbers = [0, -0, 1, -1, 2 ** 31, -(2 ** 31), 2 ** 32 - 1, 2 ** 32, -(2 ** 32), 2 ** 32 + 1];
    for (const e of [21, 31, 40, 52, 53]) {
      const p = 2 ** e;
      numbers.push(p - 1, -(p - 1));
      if (Number.isSafeInteger(p)) numbers.push(p, -p, p + 1, -p - 1);
    }
    numbers.push(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1764012345678, -1764012345678);
    let seed = 12345;
    for (let i = 0; i < 2000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const magnitude = 2 ** (seed % 54);
      const v = Math.floor((seed / 2 ** 32) * magnitude) * (i % 2 === 0 ? 1 : -1);
      if (Number.isSafeInteger(v)) numbers.push(v);
    }
    for (const v of numbers) {
      const bytes = s.serializer().serialize('t', v)!;
      expect(bytes).toEqual(refWrite(v));
      expect(s.deserializer().deserialize('t', bytes)).toBe(refRead(bytes));
      expect(Object.is(s.deserializer().deserialize('t', bytes), -0)).toBe(false);
    }
    // every high half around the safe-integer boundary, read back as the reference reads it
    for (const high of [0x1fffff, 0x200000, -0x1fffff, -0x200000, -0x200001, 0x7fffffff, -0x80000000])
      for (const low of [0, 1, 0xfffffffe, 0xffffffff]) {
        const b = Buffer.alloc(8);
        b.writeInt32BE(high, 0);
        b.writeUInt32BE(low, 4);
        expect(s.deserializer().deserialize('t', b)).toBe(refRead(b));
      }
    for (const v of [2n ** 53n, -(2n ** 53n), 2n ** 63n - 1n, -(2n ** 63n)])
      expect(s.serializer().serialize('t', v)).toEqual(refWrite(v));
    expect(() => s.serializer().serialize('t', 2 ** 53)).toThrow(/non-integer/);
  });

  it('Integer and Double', () => {
    expect(Serdes.Integer().serializer().serialize('t', 258)).toEqual(Buffer.from([0, 0, 1, 2]));
    expect(
      Serdes.Integer()
        .deserializer()
        .deserialize('t', Buffer.from([255, 255, 255, 255])),
    ).toBe(-1);
    expect(() =>
      Serdes.Integer()
        .serializer()
        .serialize('t', 2 ** 31),
    ).toThrow(/int32/);
    const d = Serdes.Double();
    expect(d.deserializer().deserialize('t', d.serializer().serialize('t', 3.25))).toBe(3.25);
    expect(d.serializer().serialize('t', 1)).toEqual(Buffer.from('3ff0000000000000', 'hex'));
  });

  it('Buffer passes bytes unchanged', () => {
    const b = Buffer.from([1, 2, 3]);
    expect(Serdes.Buffer().serializer().serialize('t', b)).toBe(b);
  });

  it('Json round-trips, validates and reports bad input as SerializationError without the content', () => {
    const j = Serdes.Json<{ n: number }>((v) => {
      if (typeof (v as { n?: unknown }).n !== 'number') throw new Error('n must be a number');
      return v as { n: number };
    });
    expect(j.deserializer().deserialize('t', j.serializer().serialize('t', { n: 1 }))).toEqual({ n: 1 });
    expect(() => j.deserializer().deserialize('t', Buffer.from('{"n":"x"}'))).toThrow(
      /rejected a value: n must be a number/,
    );
    try {
      j.deserializer().deserialize('t', Buffer.from('4111111111111111{'));
      throw new Error('should fail');
    } catch (e) {
      expect(e).toBeInstanceOf(SerializationError);
      expect((e as Error).message).not.toContain('4111');
    }
    expect(j.serializer().serialize('t', null)).toBeNull();
  });
});
