import type { Registry } from 'prom-client';
import {
  Consumed,
  type KeyValueStore,
  type Processor,
  type ProcessorContext,
  Produced,
  type Record,
  Serdes,
  Stores,
  StreamsBuilder,
  type Topology,
} from '../../src';
import type { KafkaClientFactory, RebalanceProtocol } from '../../src/client/kafka-client';
import { KafkajsClientFactory } from '../../src/client/kafkajs/kafkajs-client-factory';
import { PlatformaticClientFactory } from '../../src/client/platformatic/platformatic-client-factory';
import { silentLogger } from '@gmart/test-support';

/** The client an instance runs on: kafkajs (eager only), or platformatic with either protocol. */
export type ClientCase = { client: 'kafkajs' } | { client: 'platformatic'; protocol: RebalanceProtocol };

/** The three client set-ups the rebalance tests run on. */
export const REBALANCE_CLIENTS: ReadonlyArray<[string, ClientCase]> = [
  ['kafkajs (eager)', { client: 'kafkajs' }],
  ['platformatic, eager', { client: 'platformatic', protocol: 'eager' }],
  ['platformatic, cooperative', { client: 'platformatic', protocol: 'cooperative' }],
];

/** What the rebalance tests change in the real clients. */
export interface ClientFaults {
  /** While set, the consumer's offset commits fail, and so do the transactional producer's. */
  readonly failing: { commits: boolean };
  /** Every consumer offset commit reaches the coordinator this late (a loaded machine). Default 0. */
  readonly commitDelayMs?: number;
  /**
   * Every transaction's offsets (AddOffsetsToTxn, TxnOffsetCommit) reach the coordinator this late,
   * with the group metadata they were handed (a loaded machine). Default 0.
   */
  readonly offsetsDelayMs?: number;
  /**
   * While `hold` is set, a restoring read hands its records over 10 at a time and waits for `hold`
   * after each 10 (a restoration that takes long).
   */
  readonly restoring?: { hold: Promise<void> | null };
}

/** The real clients of `kind`, with the faults of `faults` injected into their commits. */
export function faultyClients(
  brokers: string[],
  clientId: string,
  kind: ClientCase,
  faults: ClientFaults,
): KafkaClientFactory {
  const connection = { bootstrapServers: brokers, clientId, logger: silentLogger };
  const real =
    kind.client === 'kafkajs'
      ? new KafkajsClientFactory(connection)
      : new PlatformaticClientFactory(connection);
  const { failing, commitDelayMs = 0, offsetsDelayMs = 0, restoring } = faults;
  return {
    capabilities: real.capabilities ? () => real.capabilities!() : undefined,
    producer(o, st) {
      const p = real.producer(o, st);
      if (!p.sendOffsetsToTransaction) return p;
      const send = p.sendOffsetsToTransaction.bind(p);
      p.sendOffsetsToTransaction = async (offsets, group) => {
        if (offsetsDelayMs > 0) await new Promise((r) => setTimeout(r, offsetsDelayMs));
        if (failing.commits) throw new Error('The coordinator is not available');
        await send(offsets, group);
      };
      return p;
    },
    admin: () => real.admin(),
    readPartition: (t, p, f, onBatch) =>
      real.readPartition(t, p, f, async (records) => {
        if (!restoring?.hold) return onBatch(records);
        for (let i = 0; i < records.length; i += 10) {
          await onBatch(records.slice(i, i + 10));
          if (restoring.hold) await restoring.hold;
        }
      }),
    consumer(settings) {
      const c = real.consumer(settings);
      return {
        connect: () => c.connect(),
        subscribe: (subs) => c.subscribe(subs),
        run: (handler, listener) => c.run(handler, listener),
        disconnect: () => c.disconnect(),
        ...(c.seek ? { seek: (o, g) => c.seek!(o, g) } : {}),
        ...(c.groupMetadata ? { groupMetadata: () => c.groupMetadata!() } : {}),
        async commit(offsets) {
          if (commitDelayMs > 0) await new Promise((r) => setTimeout(r, commitDelayMs));
          if (failing.commits) throw new Error('The group is rebalancing, so a rejoin is needed');
          await c.commit(offsets);
        },
      };
    },
  };
}

/**
 * How long each record takes to count (a slow processor, so a rebalance meets a batch midway); each
 * slow record requests a commit.
 */
export interface Pace {
  msPerRecord: number;
  /** Records counted slowly so far. */
  slowRecords: number;
}

/** A store whose opening takes long: while `hold` is set, each store's `init` waits for it. */
export interface Opening {
  hold: Promise<void> | null;
  /** Stores whose `init` started so far. */
  started: number;
}

/** Blocks the thread for `ms` (a processor's synchronous work). */
function busy(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * `<name>-in` -> a count per key in the persistent, logged store `storeName` -> each record with its
 * key's count (an integer) -> `<name>-out`. Each record takes `pace.msPerRecord` while it is set;
 * the store opens as `opening` lets it.
 */
export function countsTopology(name: string, storeName: string, pace?: Pace, opening?: Opening): Topology {
  const S = Serdes.String();
  const I = Serdes.Integer();
  const b = new StreamsBuilder();
  const builder = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeName), S, I);
  if (opening) {
    const build = builder.build.bind(builder);
    builder.build = () => {
      const store = build();
      const init = store.init.bind(store);
      store.init = async (context, root) => {
        opening.started++;
        if (opening.hold) await opening.hold;
        return init(context, root);
      };
      return store;
    };
  }
  b.addStateStore(builder);
  class Counter implements Processor<string, string, string, number> {
    private store!: KeyValueStore<string, number>;
    private ctx!: ProcessorContext<string, number>;
    init(ctx: ProcessorContext<string, number>) {
      this.ctx = ctx;
      this.store = ctx.getStateStore(storeName);
    }
    process(r: Record<string, string>) {
      if (pace && pace.msPerRecord > 0) {
        busy(pace.msPerRecord);
        pace.slowRecords++;
        // A commit per record: the batch waits for it, so the event loop (the embedded broker, the
        // other members in this process) runs between records, not only at the batch's heartbeats.
        this.ctx.commit();
      }
      const n = (this.store.get(r.key) ?? 0) + 1;
      this.store.put(r.key, n);
      this.ctx.forward(r.withValue(n));
    }
  }
  b.stream(`${name}-in`, Consumed.with(S, S))
    .process(() => new Counter(), storeName)
    .to(`${name}-out`, Produced.with(S, I));
  return b.build();
}

/** `<name>-in` -> each value unchanged -> `<name>-out`: a stateless topology. */
export function forwardTopology(name: string): Topology {
  const S = Serdes.String();
  const b = new StreamsBuilder();
  b.stream(`${name}-in`, Consumed.with(S, S))
    .mapValues((v) => v)
    .to(`${name}-out`, Produced.with(S, S));
  return b.build();
}

/** The sum of a metric's values in `registry` (e.g. `kafka_stream_active_tasks`: the instance's tasks). */
export async function metricSum(registry: Registry, metric: string): Promise<number> {
  const m = await registry.getSingleMetric(metric)!.get();
  return m.values.reduce((n, v) => n + v.value, 0);
}
