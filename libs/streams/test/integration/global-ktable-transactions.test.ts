/**
 * A GlobalKTable over a topic written in Kafka transactions (as an `exactly_once_v2` application
 * writes its outputs): the bootstrap reads every partition to its end offset, though the records
 * at the end are control records (commit/abort markers) or records of an aborted transaction,
 * which no consumer is handed; the store holds the committed records only (read_committed). Run
 * with the global consumer of each client (kafkajs and @platformatic/kafka).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Registry } from 'prom-client';
import {
  Consumed,
  KAFKA_CLIENTS,
  KafkaStreams,
  Materialized,
  QueryableStoreTypes,
  Serdes,
  StreamsBuilder,
  type ReadOnlyKeyValueStore,
} from '../../src';
import { createTopics, silentLogger, startBroker } from '@gmart/test-support';

jest.setTimeout(90000);
const S = Serdes.String();

describe('GlobalKTable over a transactionally written topic', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  const dirs: string[] = [];
  const apps: KafkaStreams[] = [];
  beforeAll(async () => {
    env = await startBroker();
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close({ timeoutMs: 10000 })));
    await env?.broker.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('bootstraps past markers and aborted transactions and holds only the committed records', async () => {
    await createTopics(env.kafka, [{ topic: 'gtx-companies', numPartitions: 3 }]);
    const producer = env.kafka.producer({
      transactionalId: 'gtx-writer',
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const write = async (
      commit: boolean,
      messages: Array<{ partition: number; key: string; value: string }>,
    ) => {
      const txn = await producer.transaction();
      await txn.send({ topic: 'gtx-companies', messages });
      await (commit ? txn.commit() : txn.abort());
    };
    const expected = new Map<string, string>();
    // Partition 0: nothing but an aborted transaction. Partition 1: committed records, then an
    // aborted transaction. Partition 2: committed records (ends with a commit marker).
    await write(false, [
      { partition: 0, key: 'ZZZ', value: 'aborted' },
      { partition: 0, key: 'YYY', value: 'aborted' },
    ]);
    for (let t = 0; t < 3; t++) {
      const messages = [1, 2].flatMap((partition) =>
        Array.from({ length: 4 }, (_, i) => ({
          partition,
          key: `S${partition}${i}`,
          value: `company-${t}-${i}`,
        })),
      );
      await write(true, messages);
      for (const m of messages) expected.set(m.key, m.value);
    }
    await write(false, [{ partition: 1, key: 'S10', value: 'aborted' }]);
    await producer.disconnect();

    // Both clients' global consumers (read_committed: kafkajs' and platformatic's default).
    for (const client of KAFKA_CLIENTS) {
      const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gtx-'));
      dirs.push(stateDir);
      const b = new StreamsBuilder();
      b.globalTable('gtx-companies', Consumed.with(S, S), Materialized.as<string, string>('gtx-store'));
      const streams = new KafkaStreams(b.build(), {
        applicationId: `gtx-app-${client}`,
        kafkaClient: client,
        bootstrapServers: env.brokers,
        stateDir,
        logger: silentLogger,
        metricsRegistry: new Registry(),
      });
      apps.push(streams);
      // Only global stores: start() resolves when the bootstrap reached every partition's end.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        streams.start(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`the global bootstrap (${client} client) did not reach the end offsets`)),
            30000,
          );
        }),
      ]).finally(() => clearTimeout(timer));
      const store: ReadOnlyKeyValueStore<string, string> = streams.store({
        storeName: 'gtx-store',
        type: QueryableStoreTypes.keyValueStore<string, string>(),
      });
      const held = new Map<string, string>();
      const it = store.all();
      for (let n = it.next(); !n.done; n = it.next()) held.set(n.value.key, n.value.value);
      it.close?.();
      expect(new Map([...held].sort())).toEqual(new Map([...expected].sort()));
    }
  });
});
