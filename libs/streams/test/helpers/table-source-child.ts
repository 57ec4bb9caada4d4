/**
 * A table aggregation run as a child process by the source-topic changelog test:
 * `table-source-child.ts <brokers> <appId> <in> <out> <stateDir> <processingGuarantee>`.
 * `builder.table(<in>)` in the persistent store `rows` (values `group:quantity`), grouped by group
 * and summed (adder and subtractor) in `sums`, written to `<out>`; `topologyOptimization: 'all'`, so
 * `rows` restores from `<in>` itself. Prints `RESTORE-START <topic> <partition> <store> <from> <end>`
 * and `RESTORE-END <topic> <partition> <store> <total>` per restored changelog, `RUNNING` on each
 * move to RUNNING, on SIGUSR2 `DUMP <json>` ({ rows, sums } on this instance) or `DUMP-FAILED`;
 * closes cleanly on SIGTERM.
 */
import {
  Consumed,
  KafkaStreams,
  KafkaStreamsState,
  Materialized,
  type ProcessingGuarantee,
  QueryableStoreTypes,
  ReadOnlyKeyValueStore,
  Serdes,
  StreamsBuilder,
} from '../../src';
import { runChildStreams } from './child-main';
import { sumByGroupTo } from './group-sums';

const [brokers, applicationId, input, output, stateDir, guarantee] = process.argv.slice(2);
const S = Serdes.String();
const builder = new StreamsBuilder();
sumByGroupTo(builder.table(input, Consumed.with(S, S), Materialized.as<string, string>('rows')), output);
const streams = new KafkaStreams(builder.build(), {
  applicationId,
  bootstrapServers: brokers.split(','),
  processingGuarantee: guarantee as ProcessingGuarantee,
  topologyOptimization: 'all',
  commitIntervalMs: 300,
  stateDir,
  consumer: { sessionTimeout: 6000, heartbeatInterval: 500, rebalanceTimeout: 10000 },
  stateRestoreListener: {
    onRestoreStart: (tp, store, from, end) =>
      process.stdout.write(`RESTORE-START ${tp.topic} ${tp.partition} ${store} ${from} ${end}\n`),
    onRestoreEnd: (tp, store, total) =>
      process.stdout.write(`RESTORE-END ${tp.topic} ${tp.partition} ${store} ${total}\n`),
  },
  logger: { debug() {}, info() {}, warn() {}, error: (m: string) => process.stderr.write(`${m}\n`) },
});
streams.setStateListener((s) => {
  if (s === KafkaStreamsState.RUNNING) process.stdout.write('RUNNING\n');
});

function entries<V>(storeName: string): Array<[string, V]> {
  const out: Array<[string, V]> = [];
  const it = streams
    .store<ReadOnlyKeyValueStore<string, V>>({ storeName, type: QueryableStoreTypes.keyValueStore() })
    .all();
  try {
    for (let n = it.next(); !n.done; n = it.next()) out.push([n.value.key, n.value.value]);
  } finally {
    it.close();
  }
  return out;
}

process.on('SIGUSR2', () => {
  try {
    const dump = { rows: entries<string>('rows'), sums: entries<number>('sums') };
    process.stdout.write(`DUMP ${JSON.stringify(dump)}\n`);
  } catch (e) {
    process.stdout.write(`DUMP-FAILED ${(e as Error).message}\n`);
  }
});
runChildStreams(streams);
