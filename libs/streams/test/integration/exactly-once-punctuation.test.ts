/**
 * `exactly_once_v2` with a wall-clock punctuator that forwards while the input is idle (as
 * stock-analytics' stock-performance punctuator does): the thread's timer commits every 100 ms and
 * punctuates between commits. A punctuation must never run while a commit is in flight: its sends
 * would join the transaction being committed (or find none open) and fail the commit, closing the
 * tasks dirty. The read_committed output is the punctuator's counter, 1..n, each exactly once.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Registry } from 'prom-client';
import {
  KafkaStreams,
  type KeyValueStore,
  type Processor,
  type ProcessorContext,
  PunctuationType,
  Record,
  Serdes,
  Stores,
  Topology,
} from '../../src';
import { createTopics, readCommitted, startBroker, waitFor } from '@gmart/test-support';

jest.setTimeout(120000);
const S = Serdes.String();

describe('exactly_once_v2 with a wall-clock punctuator (embedded broker)', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  const dirs: string[] = [];
  let streams: KafkaStreams | undefined;
  beforeAll(async () => {
    env = await startBroker();
  });
  afterAll(async () => {
    await streams?.close({ timeoutMs: 10000 });
    await env?.broker.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('punctuates between commits only: no commit fails, the output counts 1..n exactly once', async () => {
    await createTopics(env.kafka, [{ topic: 'eosp-in' }, { topic: 'eosp-out' }]);
    class Ticker implements Processor<string, string, string, string> {
      private store!: KeyValueStore<string, string>;
      init(ctx: ProcessorContext<string, string>) {
        this.store = ctx.getStateStore('ticks');
        ctx.schedule(5, PunctuationType.WALL_CLOCK_TIME, (ts) => {
          const n = Number(this.store.get('n') ?? '0') + 1;
          this.store.put('n', String(n));
          ctx.forward(new Record('tick', String(n), ts));
        });
      }
      process() {}
    }
    const topology = new Topology()
      .addSource({
        name: 'src',
        topics: ['eosp-in'],
        keyDeserializer: S.deserializer(),
        valueDeserializer: S.deserializer(),
      })
      .addProcessor('ticker', () => new Ticker(), 'src')
      .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('ticks'), S, S), 'ticker')
      .addSink('sink', 'eosp-out', S.serializer(), S.serializer(), undefined, 'ticker');
    const problems: string[] = [];
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eosp-'));
    dirs.push(stateDir);
    streams = new KafkaStreams(topology, {
      applicationId: 'eosp-app',
      bootstrapServers: env.brokers,
      processingGuarantee: 'exactly_once_v2',
      stateDir,
      metricsRegistry: new Registry(),
      logger: {
        debug() {},
        info() {},
        warn: (m: string) => {
          // kafkajs' notice about its transactional offset commit is not a failure.
          if (!/KIP-447/.test(m)) problems.push(m);
        },
        error: (m: string) => problems.push(m),
      },
    });
    await streams.start();
    let committed: string[] = [];
    await waitFor(
      async () => {
        committed = (await readCommitted(env.kafka, 'eosp-out')).map((r) => r.value!.toString());
        return committed.length >= 100 || problems.length > 0;
      },
      90000,
      '100 committed ticks',
    );
    expect(problems).toEqual([]);
    expect(committed.map(Number)).toEqual(Array.from({ length: committed.length }, (_, i) => i + 1));
  });
});
