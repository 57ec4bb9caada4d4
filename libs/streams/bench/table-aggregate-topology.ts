import type { BenchPurchase } from '@gmart/bench-support';
import {
  Consumed,
  Grouped,
  KeyValue,
  Materialized,
  Produced,
  Serdes,
  StreamsBuilder,
  type Topology,
} from '../src';

/** The group of the purchase with id `i` in the streams bench's case (6): 97 groups. */
export const groupOf = (i: number): string => `g${i % 97}`;

/**
 * The streams bench's case (6), `KGroupedTable.aggregate` with adder and subtractor (the sum of
 * quantities per group of the source table's rows), shared by `npm run bench` ((6), (6u)) and
 * `npm run bench:table-micro`, so the micro measures exactly that topology. `cached`: `true`, the
 * DSL's default (the record cache on for the source table and the aggregate, as in Kafka Streams);
 * `false`, both stores with caching disabled, so every update is forwarded and logged;
 * `'aggregate-only'`, caching disabled on the source table only (`Materialized.withCachingDisabled()`
 * on `table(...)`): its 100,000 keys, each rewritten only after the whole table, gain nothing from a
 * cache and would take the thread's whole budget, so the aggregate's 97 groups keep theirs (case (6t)).
 */
export function tableAggregateTopology(
  input: string,
  output: string,
  cached: boolean | 'aggregate-only',
): Topology {
  const S = Serdes.String();
  const b = new StreamsBuilder();
  const source = Materialized.with<string, BenchPurchase>(S, Serdes.Json<BenchPurchase>());
  const sums = Materialized.as<string, number>('bench-sums').withValueSerde(Serdes.Integer());
  b.table(
    input,
    Consumed.with(S, Serdes.Json<BenchPurchase>()),
    cached === true ? source : source.withCachingDisabled(),
  )
    .groupBy((_k, p) => KeyValue.pair(groupOf(p.id), p.quantity), Grouped.with(S, Serdes.Integer()))
    .aggregate<number>(
      () => 0,
      (_g, q, sum) => sum + q,
      (_g, q, sum) => sum - q,
      cached ? sums : sums.withCachingDisabled(),
    )
    .toStream()
    .to(output, Produced.with(S, Serdes.Integer()));
  return b.build();
}
