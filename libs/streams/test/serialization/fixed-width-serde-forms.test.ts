import { Serdes, type Serde } from '../../src';
import { Change, ChangeSerde } from '../../src/kstream/internals/change';
import { DeferredSerde } from '../../src/kstream/internals/deferred-serde';
import { ValueAndTimestampSerde } from '../../src/state/value-and-timestamp';

/** The Integer serde through serialize/deserialize only: the generic paths, which the in-place ones must equal. */
const opaqueInteger = (): Serde<number> =>
  Serdes.serdeFrom(Serdes.Integer().serializer(), Serdes.Integer().deserializer());

const INTS = [0, 1, -1, 97, 2147483647, -2147483648, 65536, -65537];

describe('ChangeSerde over the Integer serde (values written and read in place)', () => {
  const deferred = new DeferredSerde<number>(undefined, 'test');
  const cases: Array<[string, Serde<number>]> = [
    ['Serdes.Integer()', Serdes.Integer()],
    ['a deferred serde bound to it later', deferred],
  ];

  it.each(cases)('%s: the bytes and values of the generic path', (_name, inner) => {
    const fast = new ChangeSerde<number>(inner);
    const generic = new ChangeSerde<number>(opaqueInteger());
    const ser = fast.serializer();
    const de = fast.deserializer();
    deferred.bindDefault(Serdes.Integer());
    const changes: Array<Change<number>> = [new Change<number>(null, null)];
    for (const a of INTS) {
      changes.push(new Change<number>(a, null), new Change<number>(null, a));
      for (const b of INTS.slice(0, 4)) changes.push(new Change<number>(a, b));
    }
    for (const c of changes) {
      const bytes = ser.serialize('t', c)!;
      expect(bytes).toEqual(generic.serializer().serialize('t', c));
      expect(de.deserialize('t', bytes)).toEqual(c);
      expect(de.deserialize('t', bytes)).toEqual(generic.deserializer().deserialize('t', bytes));
    }
    expect(ser.serialize('t', null)).toBeNull();
    expect(de.deserialize('t', null)).toBeNull();
    // an undefined value is absent, as the serde makes it
    const u = new Change<number>(undefined as unknown as number, 5);
    expect(ser.serialize('t', u)).toEqual(generic.serializer().serialize('t', u));
  });

  it('throws the serde errors: a value outside int32 (the new one first), a value of another width', () => {
    const fast = new ChangeSerde<number>(Serdes.Integer());
    expect(() => fast.serializer().serialize('t', new Change<number>(2 ** 31, 1.5))).toThrow(
      'Integer serializer on topic "t" got a value outside int32',
    );
    expect(() => fast.serializer().serialize('t', new Change<number>(1, 1.5))).toThrow(
      'Integer serializer on topic "t" got a value outside int32',
    );
    // flags: both; new value 3 bytes, old value 4
    const odd = Buffer.from([3, 0, 0, 0, 3, 1, 2, 3, 0, 0, 0, 9]);
    expect(() => fast.deserializer().deserialize('t', odd)).toThrow(
      'Integer deserializer on topic "t" expects 4 bytes, got 3',
    );
    const oddOld = Buffer.from([3, 0, 0, 0, 4, 0, 0, 0, 1, 0, 9]);
    expect(() => fast.deserializer().deserialize('t', oddOld)).toThrow(
      'Integer deserializer on topic "t" expects 4 bytes, got 2',
    );
  });

  it('a Change of JSON values still goes through the serde', () => {
    const json = new ChangeSerde<{ a: number }>(Serdes.Json());
    const c = new Change({ a: 1 }, { a: 2 });
    expect(json.deserializer().deserialize('t', json.serializer().serialize('t', c))).toEqual(c);
  });
});

describe('ValueAndTimestampSerde over the Integer serde (value written and read in place)', () => {
  it('the bytes, values and errors of the generic path, directly and deferred', () => {
    const deferred = new DeferredSerde<number>(undefined, 'test');
    const paths = [new ValueAndTimestampSerde(Serdes.Integer()), new ValueAndTimestampSerde(deferred)];
    deferred.bindDefault(Serdes.Integer());
    const generic = new ValueAndTimestampSerde(opaqueInteger());
    for (const vat of paths) {
      for (const value of INTS)
        for (const timestamp of [0, 7, 1_780_000_000_000]) {
          const bytes = vat.serializer().serialize('t', { value, timestamp })!;
          expect(bytes).toEqual(generic.serializer().serialize('t', { value, timestamp }));
          expect(bytes.length).toBe(12);
          expect(vat.deserializer().deserialize('t', bytes)).toEqual({ value, timestamp });
        }
      expect(() => vat.serializer().serialize('t', { value: 0.5, timestamp: 1 })).toThrow(
        'Integer serializer on topic "t" got a value outside int32',
      );
      expect(() => vat.deserializer().deserialize('t', Buffer.alloc(13))).toThrow(
        'Integer deserializer on topic "t" expects 4 bytes, got 5',
      );
    }
  });
});
