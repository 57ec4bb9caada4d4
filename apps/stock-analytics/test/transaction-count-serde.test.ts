import { SeededRandom } from '@gmart/gmart';
import { Serdes } from '@gmart/streams';
import { type TransactionCount } from '../src';
import { transactionCountJsonBytes, transactionCountSerde } from '../src/counts/transaction-count-serde';

/** What the topics carried before: `Serdes.Json<TransactionCount>()`'s bytes. */
const json = Serdes.Json<TransactionCount>();
const reference = (c: TransactionCount | null): Buffer | null => json.serializer().serialize('t', c);

const TEXTS = [
  'C-0001',
  'XRX',
  'BRK.B',
  '',
  'a|b',
  'quote"d',
  'back\\slash',
  'nl\n',
  'café',
  '日本語',
  '😀',
  '\ud83d',
];

function randomCount(r: SeededRandom): TransactionCount {
  const start = r.chance(0.1) ? r.pick([0, -1, 1.5, 2 ** 60]) : 1_764_687_600_000 + r.int(0, 1e9);
  return {
    customerId: r.chance(0.8) ? `C-${String(r.int(0, 9999)).padStart(4, '0')}` : r.pick(TEXTS),
    stockTicker: r.chance(0.8) ? r.pick(['XRX', 'AAPL', 'BRK.B', 'MSFT']) : r.pick(TEXTS),
    windowStart: start,
    windowEnd: r.chance(0.9) ? start + r.pick([0, 5_000, 20_000]) : r.pick([NaN, Infinity, 1e21, -0]),
    count: r.chance(0.1) ? null : r.chance(0.1) ? r.pick([0, -0, 0.5, NaN]) : r.int(1, 100_000),
  };
}

describe('transactionCountSerde', () => {
  it('writes exactly the bytes Serdes.Json wrote, for generated counts, and reads them back as it', () => {
    const r = new SeededRandom(11);
    const serde = transactionCountSerde();
    const kept: Array<[TransactionCount, Buffer]> = [];
    let mismatches = 0;
    for (let i = 0; i < 20_000; i++) {
      const c = randomCount(r);
      const bytes = serde.serializer().serialize('transaction-counts-hopping', c)!;
      if (!bytes.equals(reference(c)!)) mismatches++;
      kept.push([c, bytes]);
      expect(serde.deserializer().deserialize('t', bytes)).toEqual(
        json.deserializer().deserialize('t', bytes),
      );
    }
    expect(mismatches).toBe(0);
    // Buffers share a pool: none was overwritten by the ones written after it.
    expect(kept.filter(([c, b]) => !b.equals(reference(c)!))).toEqual([]);
  });

  it('passes null as null, and writes a value of unexpected types through JSON.stringify', () => {
    expect(transactionCountSerde().serializer().serialize('t', null)).toBeNull();
    const odd = {
      customerId: 'C-1',
      stockTicker: 'X',
      windowStart: '0',
      windowEnd: 1,
      count: 2,
    } as unknown as TransactionCount;
    expect(transactionCountJsonBytes(odd).equals(reference(odd)!)).toBe(true);
  });
});
