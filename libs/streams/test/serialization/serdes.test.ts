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
