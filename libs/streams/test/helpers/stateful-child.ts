/**
 * A stateful streams app run as a child process by the restore test:
 * `node --conditions=@gmart/source -r @swc-node/register stateful-child.ts <brokers> <appId> <in> <out> <stateDir>`.
 * Keeps the largest sequence number seen per key in the persistent, logged store `latest`
 * (idempotent, so replays after a crash do not change it) and writes `key -> seq` to `<out>`.
 * Prints `RESTORED <n>` per restored changelog partition, `RUNNING` on each move to RUNNING, and on
 * SIGUSR2 `DUMP <json>` with the store's entries on this instance; closes cleanly on SIGTERM.
 */
import {
  Consumed,
  KafkaStreams,
  KafkaStreamsState,
  KeyValueStore,
  Processor,
  ProcessorContext,
  Produced,
  QueryableStoreTypes,
  ReadOnlyKeyValueStore,
  Record,
  Serdes,
  Stores,
  StreamsBuilder,
} from '../../src';
import { runChildStreams } from './child-main';

const [brokers, applicationId, input, output, stateDir] = process.argv.slice(2);
const S = Serdes.String();
const builder = new StreamsBuilder();
builder.addStateStore(
  Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('latest'), S, Serdes.Integer()),
);
class Latest implements Processor<string, string, string, string> {
  private ctx!: ProcessorContext<string, string>;
  private store!: KeyValueStore<string, number>;
  init(ctx: ProcessorContext<string, string>) {
    this.ctx = ctx;
    this.store = ctx.getStateStore('latest');
  }
  process(r: Record<string, string>) {
    const seq = Number(r.value);
    const prev = this.store.get(r.key);
    if (prev === undefined || seq > prev) this.store.put(r.key, seq);
    this.ctx.forward(r);
  }
}
builder
  .stream(input, Consumed.with(S, S))
  .process(() => new Latest(), 'latest')
  .to(output, Produced.with(S, S));
const streams = new KafkaStreams(builder.build(), {
  applicationId,
  bootstrapServers: brokers.split(','),
  commitIntervalMs: 1000,
  stateDir,
  consumer: { sessionTimeout: 6000, heartbeatInterval: 500, rebalanceTimeout: 10000 },
  stateRestoreListener: { onRestoreEnd: (_tp, _store, total) => process.stdout.write(`RESTORED ${total}\n`) },
  logger: { debug() {}, info() {}, warn() {}, error: (m: string) => process.stderr.write(`${m}\n`) },
});
streams.setStateListener((s) => {
  if (s === KafkaStreamsState.RUNNING) process.stdout.write('RUNNING\n');
});
process.on('SIGUSR2', () => {
  const entries: Array<[string, number]> = [];
  try {
    const it = streams
      .store<ReadOnlyKeyValueStore<string, number>>({
        storeName: 'latest',
        type: QueryableStoreTypes.keyValueStore(),
      })
      .all();
    try {
      for (let n = it.next(); !n.done; n = it.next()) entries.push([n.value.key, n.value.value]);
    } finally {
      it.close();
    }
    process.stdout.write(`DUMP ${JSON.stringify(entries)}\n`);
  } catch (e) {
    process.stdout.write(`DUMP-FAILED ${(e as Error).message}\n`);
  }
});
runChildStreams(streams);
