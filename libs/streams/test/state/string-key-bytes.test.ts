import { isStringSerde, Serdes } from '../../src/serialization/serdes';
import { DeferredSerde } from '../../src/kstream/internals/deferred-serde';
import { stringKeyBytes, stringKeyOf } from '../../src/state/internals/string-key-bytes';

describe('stringKeyBytes / stringKeyOf', () => {
  it("gives a remembered key's very bytes back, and the key for those very bytes only", () => {
    const a = stringKeyBytes('sk-a');
    expect(a.toString('utf8')).toBe('sk-a');
    expect(stringKeyBytes('sk-a')).toBe(a);
    expect(stringKeyOf(a)).toBe('sk-a');
    // equal bytes in another Buffer are not the remembered ones
    expect(stringKeyOf(Buffer.from('sk-a'))).toBeUndefined();
  });

  it('forgets a key after four others were encoded, and its bytes no longer map to it', () => {
    const first = stringKeyBytes('sk-first');
    for (const k of ['sk-1', 'sk-2', 'sk-3', 'sk-4']) stringKeyBytes(k);
    expect(stringKeyOf(first)).toBeUndefined();
    const again = stringKeyBytes('sk-first');
    expect(again).not.toBe(first);
    expect(again.equals(first)).toBe(true);
    expect(stringKeyOf(again)).toBe('sk-first');
  });
});

describe('isStringSerde', () => {
  it('recognises the built-in String serde, its serializer and a deferred serde bound to it', () => {
    expect(isStringSerde(Serdes.String())).toBe(true);
    expect(isStringSerde(Serdes.String().serializer())).toBe(true);
    const deferred = new DeferredSerde<unknown>(undefined, 'key serde');
    expect(isStringSerde(deferred)).toBe(false); // not bound yet
    deferred.bindDefault(Serdes.String());
    expect(isStringSerde(deferred)).toBe(true);
  });

  it('refuses every other serde, including one built from the String serializer', () => {
    const s = Serdes.String();
    for (const other of [
      Serdes.Json<string>(),
      Serdes.Integer(),
      Serdes.Buffer(),
      Serdes.serdeFrom(s.serializer(), s.deserializer()),
    ])
      expect(isStringSerde(other as never)).toBe(false);
  });
});
