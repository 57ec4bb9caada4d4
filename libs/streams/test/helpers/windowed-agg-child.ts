/**
 * A windowed count and a table aggregation run as a child process by the kill -9 test:
 * `node --conditions=@gmart/source -r @swc-node/register windowed-agg-child.ts <brokers> <appId> <stateDir> [guarantee]`
 * (`exactly_once_v2` by default).
 * Trades (`tradeId -> symbol`) are re-keyed by symbol and counted in 20 s tumbling windows (grace
 * 10 min, more than the input spans: upstream tasks run at their own pace, so the repartition
 * topic interleaves them out of order) into `wk-counts`; holdings (`account -> "region:shares"`) are a table grouped by region and
 * summed with an adder and a subtractor into `wk-sums`. Every name is generated, as Kafka Streams
 * would generate it. Prints `RUNNING` on each move to RUNNING; closes cleanly on SIGTERM.
 */
import {
  Consumed,
  Grouped,
  KafkaStreams,
  KafkaStreamsState,
  KeyValue,
  Materialized,
  Produced,
  Serdes,
  StreamsBuilder,
  TimeWindows,
  WindowedSerdes,
  type Serde,
} from '../../src';
import { runChildStreams } from './child-main';

const [brokers, applicationId, stateDir, guarantee = 'exactly_once_v2'] = process.argv.slice(2);
const S = Serdes.String();
const I = Serdes.Integer();
const LONG = Serdes.Long() as Serde<number>;
const builder = new StreamsBuilder();
builder
  .stream('wk-trades', Consumed.with(S, S))
  .groupBy((_id, symbol) => symbol, Grouped.with(S, S))
  .windowedBy(TimeWindows.ofSizeAndGrace(20_000, 600_000))
  .count()
  .toStream()
  .to('wk-counts', Produced.with(WindowedSerdes.timeWindowedSerdeFrom(S, 20_000), LONG));
builder
  .table('wk-holdings', Consumed.with(S, S))
  .groupBy(
    (_account, v) => {
      const [region, shares] = v.split(':');
      return KeyValue.pair(region!, Number(shares));
    },
    Grouped.with(S, I),
  )
  .aggregate(
    () => 0,
    (_region, shares, sum) => sum + shares,
    (_region, shares, sum) => sum - shares,
    Materialized.with<string, number>(S, I),
  )
  .toStream()
  .to('wk-sums', Produced.with(S, I));
const streams = new KafkaStreams(builder.build(), {
  applicationId,
  bootstrapServers: brokers!.split(','),
  processingGuarantee: guarantee as 'at_least_once' | 'exactly_once_v2',
  // exactly_once_v2: the default commit interval (100 ms); its transaction timeout below the session
  // timeout, so a killed instance's open transaction is aborted before its partitions move on.
  ...(guarantee === 'exactly_once_v2' ? {} : { commitIntervalMs: 500 }),
  stateDir,
  consumer: { sessionTimeout: 6000, heartbeatInterval: 500, rebalanceTimeout: 10000 },
  producer: { transactionTimeout: 5000 },
  logger: { debug() {}, info() {}, warn() {}, error: (m: string) => process.stderr.write(`${m}\n`) },
});
streams.setStateListener((s) => {
  if (s === KafkaStreamsState.RUNNING) process.stdout.write('RUNNING\n');
});
runChildStreams(streams);
