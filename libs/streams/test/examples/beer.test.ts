import { Serdes } from '../../src';
import { TopologyTestDriver } from '../../src/testing';
import {
  type BeerPurchase,
  CURRENCY_TO_DOLLARS,
  type Currency,
  beerPurchaseSerde,
  roundCentsHalfEven,
} from '../../examples/beer/beer-purchase';
import { BEER_TOPICS, buildBeerTopology } from '../../examples/beer/beer-topology';

const S = Serdes.String();

/** A small deterministic random source for the test's purchases. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('the beer example (Processor API, forward to a named child)', () => {
  it('is the seed topology: one source, one processor, two sinks', () => {
    const text = buildBeerTopology().describe().toString();
    expect(text).toMatch(
      /Source: beer-purchase-source \(topics: \[pops-hops-purchases\]\)\n\s+--> purchase-processor/,
    );
    expect(text).toMatch(
      /Processor: purchase-processor \(stores: \[\]\)\n\s+--> (domestic-beer-sales, international-beer-sales|international-beer-sales, domestic-beer-sales)/,
    );
    expect(text).toMatch(/Sink: international-beer-sales \(topic: international-sales\)/);
    expect(text).toMatch(/Sink: domestic-beer-sales \(topic: domestic-sales\)/);
  });

  it('routes dollar sales to domestic-sales unchanged and converts the others to dollars for international-sales', () => {
    const driver = new TopologyTestDriver(buildBeerTopology());
    const input = driver.createInputTopic(BEER_TOPICS.purchases, S, beerPurchaseSerde());
    const domestic = driver.createOutputTopic(BEER_TOPICS.domestic, S, beerPurchaseSerde());
    const international = driver.createOutputTopic(BEER_TOPICS.international, S, beerPurchaseSerde());
    const rnd = lcg(7);
    const currencies: Currency[] = ['DOLLARS', 'EUROS', 'POUNDS'];
    const sent: { key: string; value: BeerPurchase; ts: number }[] = [];
    for (let i = 0; i < 300; i++) {
      const value: BeerPurchase = {
        currency: currencies[Math.floor(rnd() * 3)]!,
        totalSale: Math.round(rnd() * 100_000) / 100,
        numberCases: 1 + Math.floor(rnd() * 20),
        beerType: ['stout', 'pale ale', 'IPA'][Math.floor(rnd() * 3)]!,
      };
      sent.push({ key: `order-${i}`, value, ts: 1_000 + i });
      input.pipeInput(`order-${i}`, value, 1_000 + i);
    }
    // Brute force: dollar sales as sent; others with totalSale x rate, rounded to cents half-even.
    const expectedDomestic = sent.filter((s) => s.value.currency === 'DOLLARS');
    const expectedInternational = sent
      .filter((s) => s.value.currency !== 'DOLLARS')
      .map((s) => ({
        ...s,
        value: {
          ...s.value,
          currency: 'DOLLARS',
          totalSale: Math.round(s.value.totalSale * CURRENCY_TO_DOLLARS[s.value.currency] * 100) / 100,
        },
      }));
    const gotDomestic = domestic.readRecordsToList();
    const gotInternational = international.readRecordsToList();
    expect(gotDomestic.map((r) => [r.key, r.value, r.timestamp])).toEqual(
      expectedDomestic.map((s) => [s.key, s.value, s.ts]),
    );
    expect(gotInternational).toHaveLength(expectedInternational.length);
    gotInternational.forEach((r, i) => {
      const e = expectedInternational[i]!;
      expect([r.key, r.timestamp]).toEqual([e.key, e.ts]);
      expect(r.value).toMatchObject({
        currency: 'DOLLARS',
        numberCases: e.value.numberCases,
        beerType: e.value.beerType,
      });
      // Half-even and half-up differ only on exact half cents.
      expect(Math.abs((r.value as BeerPurchase).totalSale - e.value.totalSale)).toBeLessThanOrEqual(
        0.01 + 1e-9,
      );
    });
    expect(expectedDomestic.length).toBeGreaterThan(50);
    expect(expectedInternational.length).toBeGreaterThan(100);
    driver.close();
  });

  it('rounds converted amounts half-even to cents, as DecimalFormat("###.##")', () => {
    expect(roundCentsHalfEven(2.345)).toBe(2.34);
    expect(roundCentsHalfEven(2.355)).toBe(2.36);
    expect(roundCentsHalfEven(2.3449)).toBe(2.34);
    expect(roundCentsHalfEven(109)).toBe(109);
  });

  it('drops a malformed purchase with a message naming the field', () => {
    const driver = new TopologyTestDriver(buildBeerTopology(), {
      deserializationExceptionHandler: 'logAndContinue',
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    const input = driver.createInputTopic(BEER_TOPICS.purchases, S, Serdes.String());
    input.pipeInput(
      'bad',
      JSON.stringify({ currency: 'YEN', totalSale: 3, numberCases: 1, beerType: 'x' }),
      1,
    );
    expect(driver.producedTopicNames()).toEqual([]);
    expect(Object.values(driver.droppedRecords()).reduce((a, b) => a + b, 0)).toBe(1);
    expect(() =>
      beerPurchaseSerde().deserializer().deserialize('t', Buffer.from('{"currency":"YEN"}')),
    ).toThrow(/currency must be one of DOLLARS, EUROS, POUNDS/);
    driver.close();
  });
});
