import { Grouped, KeyValue, Materialized, Produced, Serdes, type KTable } from '../../src';

/**
 * The table aggregation of the source-topic changelog tests: rows `key -> "group:quantity"` summed
 * per group (adder and subtractor) in the store `sums`, written to `output`.
 */
export function sumByGroupTo(rows: KTable<string, string>, output: string): void {
  const S = Serdes.String();
  const I = Serdes.Integer();
  rows
    .groupBy((_k, v) => KeyValue.pair(v.split(':')[0], Number(v.split(':')[1])), Grouped.with(S, I))
    .aggregate<number>(
      () => 0,
      (_g, q, sum) => sum + q,
      (_g, q, sum) => sum - q,
      Materialized.as<string, number>('sums').withValueSerde(I),
    )
    .toStream()
    .to(output, Produced.with(S, I));
}
