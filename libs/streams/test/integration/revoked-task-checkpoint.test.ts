/**
 * A task revoked in a rebalance closes clean once the rebalance's commit succeeded (Kafka Streams'
 * `TaskManager.handleRevocation` commits the revoked tasks and `postCommit(true)` checkpoints them;
 * `closeAndRecycleTasks` then closes them with `closeTaskClean`, under exactly_once_v2 as well): its
 * stores are flushed and its checkpoint holds the acknowledged changelog offsets
 * (`StreamTask.checkpointableOffsets`). When the task comes back to the member, its persistent store
 * restores only what the other member wrote to the changelog meanwhile. A task whose revocation
 * commit failed closes dirty (no checkpoint): its store restores the changelog in full; so does every
 * other task of the member (Kafka Streams' TaskMigrated handling, `handleLostAll`).
 *
 * Instance A counts the records of two partitions in a persistent, logged store (no cache: one
 * changelog record per input record); B joins and takes one of the two tasks, counts `MEANWHILE`
 * records of its partition and leaves; A gets the task back. Before the fix every revoked task
 * closed dirty, so A restored the whole changelog (`FIRST + MEANWHILE` records) under both
 * guarantees. The counts are checked against a brute-force model at the end.
 *
 * A batch the rebalance stops midway is committed by the rebalance's commit (Kafka Streams'
 * `handleRevocation` commits every task's processed offsets): no task closes dirty for it. A task
 * revoked while restoring checkpoints what it restored (Kafka Streams' clean close of a RESTORING task).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Registry } from 'prom-client';
import { KafkaStreams, KafkaStreamsState, Serdes } from '../../src';
import type { TopicPartition } from '../../src/state/state-restore-listener';
import {
  type ClientCase,
  countsTopology,
  faultyClients,
  metricSum,
  type Opening,
  type Pace,
  REBALANCE_CLIENTS,
} from '../helpers/rebalance-apps';
import {
  consume,
  createTopics,
  produce,
  silentLogger,
  startBroker,
  tempDir,
  waitFor,
} from '@gmart/test-support';

jest.setTimeout(120000);
const I = Serdes.Integer();

type Guarantee = 'at_least_once' | 'exactly_once_v2';
const CASES: Array<[Guarantee, string, ClientCase]> = [];
for (const guarantee of ['at_least_once', 'exactly_once_v2'] as const)
  for (const [label, kind] of REBALANCE_CLIENTS) CASES.push([guarantee, label, kind]);

/** Records per partition A counts before B joins. */
const FIRST = 150;
/** Records of the moved partition B counts while it holds the task. */
const MEANWHILE = 40;
/** Records A counts slowly (`SLOW_MS` each), so the next rebalance meets one of its batches midway. */
const SLOW = 600;
const SLOW_MS = 10;
const STORE = 'counts';

/** One restoration of a store's changelog partition, as the restore listener saw it. */
interface Restoration {
  readonly partition: number;
  start: number;
  total: number | undefined;
  /** Offset of the last record restored so far. */
  last?: number;
}

describe('revoked tasks close clean after the revocation commit (embedded broker)', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  const apps: KafkaStreams[] = [];
  beforeAll(async () => {
    env = await startBroker();
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close({ timeoutMs: 10000 })));
    await env?.broker.stop();
  });

  /** An instance that counts records per key in a persistent logged store and forwards each count. */
  function app(
    name: string,
    guarantee: Guarantee,
    kind: ClientCase,
    failing = { commits: false },
    commitIntervalMs = 200,
    pace?: Pace,
    more: { stateDir?: string; restoring?: { hold: Promise<void> | null }; opening?: Opening } = {},
  ): { streams: KafkaStreams; stateDir: string; restorations: Restoration[]; registry: Registry } {
    const stateDir = more.stateDir ?? tempDir('revoked-checkpoint-');
    const registry = new Registry();
    const restorations: Restoration[] = [];
    const clientId = `${name}-${apps.length}`;
    const streams = new KafkaStreams(countsTopology(name, STORE, pace, more.opening), {
      clientId,
      clientFactory: faultyClients(env.brokers, clientId, kind, { failing, restoring: more.restoring }),
      ...(kind.client === 'platformatic' ? { rebalanceProtocol: kind.protocol } : {}),
      applicationId: name,
      bootstrapServers: env.brokers,
      processingGuarantee: guarantee,
      commitIntervalMs,
      stateDir,
      logger: silentLogger,
      metricsRegistry: registry,
      consumer: { sessionTimeout: 10000, heartbeatInterval: 300 },
      stateRestoreListener: {
        onRestoreStart: (tp: TopicPartition, _store: string, start: number) =>
          restorations.push({ partition: tp.partition, start, total: undefined }),
        onBatchRestored: (tp: TopicPartition, _store: string, last: number) => {
          const r = restorations.findLast((x) => x.partition === tp.partition);
          if (r) r.last = last;
        },
        onRestoreEnd: (tp: TopicPartition, _store: string, total: number) => {
          const r = restorations.findLast((x) => x.partition === tp.partition);
          if (r) r.total = total;
        },
      },
    });
    apps.push(streams);
    return { streams, stateDir, restorations, registry };
  }

  /** Tasks the instance runs (its `kafka_stream_active_tasks` gauge). */
  const tasks = (registry: Registry) => metricSum(registry, 'kafka_stream_active_tasks');
  /** Records the instance processed (its `kafka_stream_thread_process_total`). */
  const processed = (registry: Registry) => metricSum(registry, 'kafka_stream_thread_process_total');
  const running = (...s: KafkaStreams[]) => s.every((x) => x.state() === KafkaStreamsState.RUNNING);

  /** Topics of `<name>`, a feed of keyed records per partition and the model of their counts. */
  async function scenario(name: string) {
    await createTopics(env.kafka, [
      { topic: `${name}-in`, numPartitions: 2 },
      { topic: `${name}-out`, numPartitions: 2 },
    ]);
    const model = new Map<string, number>();
    let sent = 0;
    return {
      /** `n` records to `partition`, over 10 keys of that partition. */
      async feed(partition: number, n: number) {
        const records = Array.from({ length: n }, (_, i) => ({
          key: `p${partition}-k${i % 10}`,
          value: 'x',
          partition,
        }));
        for (const r of records) model.set(r.key, (model.get(r.key) ?? 0) + 1);
        sent += n;
        await produce(env.kafka, `${name}-in`, records);
      },
      get sent() {
        return sent;
      },
      outputs: (n: number) => consume(env.kafka, `${name}-out`, n, 60000),
      /** Each key's count so far (each record counted once). */
      model,
      /** The last count of every key equals `expected` (the output keeps each key's counts in order). */
      async expectCounts(expected: ReadonlyMap<string, number> = model) {
        const last = new Map<string, number>();
        const out = await consume(env.kafka, `${name}-out`, sent, 60000, (rs) => {
          last.clear();
          for (const r of [...rs].sort((x, y) => x.partition - y.partition || x.offset - y.offset))
            last.set(r.key!, I.deserializer().deserialize(`${name}-out`, r.value)!);
          return [...expected].every(([k, n]) => last.get(k) === n);
        });
        expect(out.length).toBeGreaterThanOrEqual(sent);
        expect(last).toEqual(expected);
      },
    };
  }

  /**
   * A joins alone and counts `FIRST` records per partition; B joins and takes one task. With
   * `failRevocation`, A commits nothing before the rebalance (a long commit interval) and that
   * commit fails.
   */
  async function handOver(
    name: string,
    guarantee: Guarantee,
    kind: ClientCase,
    failRevocation = false,
    pace?: Pace,
    restoring?: { hold: Promise<void> | null },
    opening?: Opening,
  ) {
    const t = await scenario(name);
    const failing = { commits: false };
    const a = app(name, guarantee, kind, failing, failRevocation ? 600_000 : 200, pace, {
      restoring,
      opening,
    });
    await a.streams.start();
    await t.feed(0, FIRST);
    await t.feed(1, FIRST);
    // (Under exactly-once with a long commit interval the outputs are not visible yet.)
    await waitFor(async () => (await processed(a.registry)) === 2 * FIRST, 60000, 'A processed every record');
    await waitFor(() => a.restorations.length === 2, 30000, 'A restored both tasks');
    failing.commits = failRevocation;
    const b = app(name, guarantee, kind);
    await b.streams.start();
    await waitFor(
      async () =>
        running(a.streams, b.streams) && (await tasks(a.registry)) === 1 && (await tasks(b.registry)) === 1,
      60000,
      'A and B running one task each',
    );
    failing.commits = false;
    // The task B got is the one A gave up.
    await waitFor(() => b.restorations.some((r) => r.total !== undefined), 30000, 'B restored its task');
    const moved = b.restorations[0].partition;
    return { t, a, b, moved };
  }

  type App = ReturnType<typeof app>;
  type Handover = Awaited<ReturnType<typeof handOver>>;

  /** B counts `MEANWHILE` more records of the moved task's partition (`processedByB` in all). */
  async function bCountsMore(h: Handover, processedByB: number): Promise<void> {
    await h.t.feed(h.moved, MEANWHILE);
    await waitFor(
      async () => (await processed(h.b.registry)) === processedByB,
      60000,
      'B processed its records',
    );
  }

  /**
   * `leaving` closes and A takes the moved task back: returns A's restorations since, once A runs
   * both tasks with the moved one restored.
   */
  async function backToA(a: App, leaving: App, moved: number): Promise<Restoration[]> {
    const before = a.restorations.length;
    await leaving.streams.close({ timeoutMs: 20000 });
    await waitFor(
      async () =>
        running(a.streams) &&
        (await tasks(a.registry)) === 2 &&
        a.restorations.slice(before).some((r) => r.partition === moved && r.total !== undefined),
      60000,
      'A running both tasks again',
    );
    return a.restorations.slice(before);
  }

  /**
   * B counts `MEANWHILE` more records of the moved task's partition (`processedByB` in all) and
   * leaves; A takes the task back. Returns A's restoration of it.
   */
  async function handBack(h: Handover, processedByB: number): Promise<Restoration> {
    await bCountsMore(h, processedByB);
    return (await backToA(h.a, h.b, h.moved)).find((r) => r.partition === h.moved)!;
  }

  it.each(CASES)(
    '%s on %s: a task handed back restores only what the other member wrote meanwhile',
    async (guarantee, label, kind) => {
      const name = `revoked-${guarantee === 'exactly_once_v2' ? 'eos' : 'alos'}-${label.replace(/[^a-z]+/g, '-')}`;
      const h = await handOver(name, guarantee, kind);
      // The revoked task's checkpoint: written at its clean close, before the task comes back.
      const checkpoint = path.join(h.a.stateDir, name, `0_${h.moved}`, '.checkpoint');
      const checkpointed = await waitFor(() => fs.existsSync(checkpoint), 20000).then(
        () => true,
        () => false,
      );
      const before = h.a.restorations.length;
      const back = await handBack(h, MEANWHILE);
      expect({ checkpointed, restored: back.total }).toEqual({ checkpointed: true, restored: MEANWHILE });
      expect(back.start).toBeGreaterThanOrEqual(FIRST);
      // Only the task that came back restored: the one A kept was not closed.
      expect(h.a.restorations.slice(before).map((r) => r.partition)).toEqual([h.moved]);
      await h.t.feed(0, 20);
      await h.t.feed(1, 20);
      await h.t.expectCounts();
      await h.a.streams.close({ timeoutMs: 20000 });
    },
  );

  it.each(CASES)(
    '%s on %s: a task whose revocation commit failed closes dirty and restores in full',
    async (guarantee, label, kind) => {
      const eos = guarantee === 'exactly_once_v2';
      const name = `revoked-failed-${eos ? 'eos' : 'alos'}-${label.replace(/[^a-z]+/g, '-')}`;
      const h = await handOver(name, guarantee, kind, true);
      // Kafka Streams closes every task dirty when the revocation commit fails (handleRevocation
      // rethrows it as TaskMigrated, handleTaskMigrated calls handleLostAll): the task A kept
      // restores its changelog again and counts its partition again from the committed offset (none:
      // the start). Before, under at-least-once, only the revoked task closed dirty.
      const kept = 1 - h.moved;
      const keptAgain = () => h.a.restorations.slice(2).find((r) => r.partition === kept);
      await waitFor(() => keptAgain()?.total !== undefined, 60000, 'A restored the task it kept again');
      const again = keptAgain()!;
      // At-least-once: A's FIRST changelog records; exactly-once: none (its transaction was aborted).
      expect(again.start + again.total!).toBe(eos ? 0 : FIRST);
      // Nothing of the moved partition was committed, so B counted it again from the start.
      const back = await handBack(h, FIRST + MEANWHILE);
      // The changelog holds A's FIRST records (at-least-once: written; exactly-once: in the aborted
      // transaction, which a restore skips), then B's FIRST + MEANWHILE; A restores from the start.
      expect({ start: back.start, restored: back.total }).toEqual({
        start: 0,
        restored: (eos ? 1 : 2) * FIRST + MEANWHILE,
      });
      // A's close commits what it counted since the reset (its commit interval is long, and a
      // cooperative rebalance that revokes nothing, as B leaving, commits nothing: Kafka Streams'
      // rebalanceInProgress). Exactly-once counts each record once in the end; at-least-once counted
      // the first FIRST records of both partitions twice (15 per key): B those of the moved one, A
      // those of the kept one.
      await h.a.streams.close({ timeoutMs: 20000 });
      await h.t.expectCounts(eos ? h.t.model : new Map([...h.t.model].map(([k, n]) => [k, n + FIRST / 10])));
    },
  );

  /**
   * Eager protocol (every partition is revoked, so the rebalance stops the batch being processed):
   * the cut-short batch's records are committed by the rebalance's commit and no task closes. Before,
   * under exactly-once, the thread abandoned the transaction and closed every task dirty, so the
   * task A kept restored its changelog again from the start and its uncommitted records were counted
   * again. (The cooperative protocol revokes only moved partitions: A's batch runs on there.)
   */
  it.each(CASES.filter(([, , kind]) => kind.client === 'kafkajs' || kind.protocol === 'eager'))(
    '%s on %s: a batch cut short by the rebalance is committed and the kept task runs on',
    async (guarantee, label, kind) => {
      const name = `revoked-cut-${guarantee === 'exactly_once_v2' ? 'eos' : 'alos'}-${label.replace(/[^a-z]+/g, '-')}`;
      const pace: Pace = { msPerRecord: 0, slowRecords: 0 };
      const h = await handOver(name, guarantee, kind, false, pace);
      const { t, a, b, moved } = h;
      const kept = 1 - moved;
      await bCountsMore(h, MEANWHILE);
      // A counts the next records of its task slowly; B leaves while A is in the middle of a batch.
      pace.msPerRecord = SLOW_MS;
      await t.feed(kept, SLOW);
      await waitFor(() => pace.slowRecords > 20, 60000, 'A counting the slow records');
      const restored = await backToA(a, b, moved);
      pace.msPerRecord = 0;
      // Only the task that came back restored, from A's checkpoint: B's records. The task A kept
      // ran on through the rebalance.
      expect(restored.map((r) => ({ partition: r.partition, total: r.total }))).toEqual([
        { partition: moved, total: MEANWHILE },
      ]);
      expect(restored[0].start).toBeGreaterThanOrEqual(FIRST);
      // Nothing was counted twice: the rebalance's commit covered what A processed of the batch.
      await waitFor(
        async () => (await processed(a.registry)) + (await processed(b.registry)) >= t.sent,
        60000,
        'A and B processed every record',
      );
      expect((await processed(a.registry)) + (await processed(b.registry))).toBe(t.sent);
      await t.feed(0, 20);
      await t.feed(1, 20);
      await t.expectCounts();
      await a.streams.close({ timeoutMs: 20000 });
    },
  );
  /**
   * A task revoked while it restores closes clean, as Kafka Streams' (a RESTORING task is suspended,
   * then `closeClean` checkpoints the offsets its stores restored): its checkpoint holds what it
   * restored, so when it comes back it restores only the rest. Before, it closed dirty: under
   * exactly-once it then restored from the start, under at-least-once from its older checkpoint.
   */
  it.each(CASES)(
    '%s on %s: a task revoked while restoring checkpoints what it restored',
    async (guarantee, label, kind) => {
      const name = `revoked-restoring-${guarantee === 'exactly_once_v2' ? 'eos' : 'alos'}-${label.replace(/[^a-z]+/g, '-')}`;
      const restoring: { hold: Promise<void> | null } = { hold: null };
      const h = await handOver(name, guarantee, kind, false, undefined, restoring);
      const { t, a, b, moved } = h;
      await bCountsMore(h, MEANWHILE);
      // B leaves: A takes the task back and restores B's records, held after the first 10.
      let release!: () => void;
      restoring.hold = new Promise<void>((resolve) => (release = resolve));
      const before = a.restorations.length;
      await b.streams.close({ timeoutMs: 20000 });
      const held = () => a.restorations.slice(before).find((r) => r.partition === moved);
      await waitFor(() => held()?.last !== undefined, 60000, 'A restoring the task it got back');
      // B again, on its state: it claims the task, which is revoked from A while A restores it.
      const b2 = app(name, guarantee, kind, { commits: false }, 200, undefined, { stateDir: b.stateDir });
      await b2.streams.start();
      await waitFor(
        async () =>
          running(a.streams, b2.streams) &&
          (await tasks(a.registry)) === 1 &&
          (await tasks(b2.registry)) === 1,
        60000,
        'A and B running one task each again',
      );
      const interrupted = held()!;
      expect(interrupted.total).toBeUndefined();
      restoring.hold = null;
      release();
      // B leaves again: A restores from what it had restored, not from its earlier checkpoint.
      const again = (await backToA(a, b2, moved)).find((r) => r.partition === moved)!;
      expect({ start: again.start, restored: again.total }).toEqual({
        start: interrupted.last! + 1,
        restored: MEANWHILE - 10,
      });
      await t.feed(0, 20);
      await t.feed(1, 20);
      await t.expectCounts();
      await a.streams.close({ timeoutMs: 20000 });
    },
  );

  /**
   * A task revoked while its stores are still opening closes clean: Kafka Streams opens a task's
   * stores within one call (`StreamTask.initializeIfNeeded`), so a revoked task is CREATED (nothing
   * opened: `suspend` and `closeClean` leave its checkpoint as it was) or RESTORING (its clean close
   * checkpoints what it restored). Here the close waits for the stores and checkpoints the offsets
   * they were opened with, so when the task comes back it restores only what was written since.
   * Before, it closed dirty: under exactly-once (whose checkpoint is deleted once read) it then
   * restored its changelog from the start; and the store opened after the close was never closed.
   */
  it.each(CASES)(
    '%s on %s: a task revoked while its stores open keeps its checkpoint',
    async (guarantee, label, kind) => {
      const name = `revoked-opening-${guarantee === 'exactly_once_v2' ? 'eos' : 'alos'}-${label.replace(/[^a-z]+/g, '-')}`;
      const opening: Opening = { hold: null, started: 0 };
      const h = await handOver(name, guarantee, kind, false, undefined, undefined, opening);
      const { t, a, b, moved } = h;
      await bCountsMore(h, MEANWHILE);
      // B leaves: A takes the task back; its store's opening is held.
      let release!: () => void;
      opening.hold = new Promise<void>((resolve) => (release = resolve));
      const started = opening.started;
      const before = a.restorations.length;
      await b.streams.close({ timeoutMs: 20000 });
      await waitFor(() => opening.started > started, 60000, 'A opening the store of the task it got back');
      // B again, on its state: it claims the task, which is revoked from A while its store opens.
      const b2 = app(name, guarantee, kind, { commits: false }, 200, undefined, { stateDir: b.stateDir });
      await b2.streams.start();
      await waitFor(
        async () =>
          running(b2.streams) && (await tasks(a.registry)) === 1 && (await tasks(b2.registry)) === 1,
        60000,
        'A and B running one task each again',
      );
      // A never restored the task it was opening.
      expect(a.restorations.slice(before).filter((r) => r.partition === moved)).toEqual([]);
      opening.hold = null;
      release();
      // B leaves again: A restores only B's records, from its checkpoint.
      const again = (await backToA(a, b2, moved)).find((r) => r.partition === moved)!;
      expect({ fromStart: again.start === 0, restored: again.total }).toEqual({
        fromStart: false,
        restored: MEANWHILE,
      });
      await t.feed(0, 20);
      await t.feed(1, 20);
      await t.expectCounts();
      await a.streams.close({ timeoutMs: 20000 });
    },
  );
});
