import { sumOf, parsePrometheusText } from '../../local-stack/prometheus-text';
import { waitFor } from '@gmart/test-support';
import { MongoClient } from 'mongodb';
import { committedSum, compareKeys } from '../delivery';
import { endOffsetSum } from '../../local-stack/topic-reader';
import { produceAcknowledged } from '../purchase-records';
import { maskedPurchaseRecords } from '../rewards-instance';
import { rssMb } from '../rss-sampler';
import { expectedPurchaseIds, setUpStorage } from '../storage-instance';
import { Invariants, type Scenario } from '../scenario';

const PARTITIONS = 3;
const BATCH_SIZE = 200;

/**
 * The storage service writing purchases to MongoDB; MongoDB is `kill -9`-ed and left down (30 s
 * by default) while two thirds of the purchases arrive, then started again on the same port and
 * data. Invariants: the service stays up through the outage; afterwards every purchase over 5.00
 * is stored exactly once (0 lost, 0 duplicate documents); while MongoDB is down the documents the
 * sink holds stay within its bound (per task 10 x batch size plus two fetched batches of 1 MiB),
 * whatever arrives, and the RSS growth stays under 128 MiB.
 */
export const mongoOutage: Scenario = {
  name: 'mongo-outage',
  summary: 'MongoDB kill -9 and down 30 s under load: 0 lost, 0 duplicate documents, memory bounded',
  defaultRecords: 45_000,
  async run(env, records, options) {
    const outageMs = (options.outageSeconds ?? 30) * 1000;
    const s = await setUpStorage(env, 'chaos-mongo-outage', PARTITIONS);
    const storage = env.startService('storage', 'mongo-outage-storage', {
      ...s.env,
      MONGODB_BATCH_SIZE: String(BATCH_SIZE),
    });
    await storage.waitReady(90_000);
    const input = maskedPurchaseRecords('mo', records, 5, 500);
    const before = input.slice(0, Math.ceil(records / 3));
    const during = input.slice(before.length);
    const client = new MongoClient(env.mongoUri, { serverSelectionTimeoutMS: 2000 });
    await client.connect();
    const purchases = () => client.db(s.database).collection('purchases');
    const wantBefore = expectedPurchaseIds(before.map((r) => r.purchase));
    const wantAll = expectedPurchaseIds(input.map((r) => r.purchase));
    await produceAcknowledged(env.kafka, s.input, before, { chunk: 1000 });
    await waitFor(
      async () => (await purchases().countDocuments()) >= wantBefore.length,
      180_000,
      'purchases stored before the outage',
      500,
    );
    const baseline = rssMb(storage.pid!) ?? 0;
    await env.mongo.signal('SIGKILL');
    const downAt = Date.now();
    let peakRss = baseline;
    let peakBuffered = 0;
    let exitedDuringOutage = false;
    const producing = produceAcknowledged(env.kafka, s.input, during, { chunk: 500, pauseMs: 20 });
    while (Date.now() - downAt < outageMs) {
      peakRss = Math.max(peakRss, rssMb(storage.pid ?? -1) ?? 0);
      const metrics = await storage.metrics();
      if (metrics)
        peakBuffered = Math.max(
          peakBuffered,
          sumOf(parsePrometheusText(metrics), 'mongodb_sink_buffered_documents'),
        );
      if (!storage.running) exitedDuringOutage = true;
      await new Promise((r) => setTimeout(r, 250));
    }
    await producing;
    const waitingInKafka =
      (await endOffsetSum(env.kafka, s.input)) - (await committedSum(env.kafka, s.applicationId, s.input));
    await env.snapshotMetrics(storage);
    await env.mongo.start();
    await waitFor(
      async () => (await purchases().countDocuments()) >= wantAll.length,
      240_000,
      'purchases stored after the outage',
      1000,
    ).catch(() => undefined);
    const ids = (
      await purchases()
        .find({}, { projection: { _id: 1 } })
        .toArray()
    ).map((d) => String(d._id));
    await client.close();
    const d = compareKeys(wantAll, ids);
    const stillUp = storage.running;
    await env.stopService(storage);
    const avgRecordBytes = during.reduce((n, r) => n + r.value.length, 0) / Math.max(1, during.length);
    // Two sinks (purchases, security_audit) per task.
    const bound = 2 * PARTITIONS * (10 * BATCH_SIZE + Math.ceil((2 * 1024 * 1024) / avgRecordBytes));
    const inv = new Invariants();
    inv.check(!exitedDuringOutage && stillUp, 'the storage service exited during the outage');
    inv.check(d.lost === 0, `${d.lost} purchases not stored`);
    inv.check(d.duplicates === 0 && d.unexpected === 0, `${d.duplicates + d.unexpected} extra documents`);
    inv.check(peakBuffered <= bound, `${peakBuffered} documents buffered, over the bound ${bound}`);
    inv.check(peakRss - baseline < 128, `RSS grew ${peakRss - baseline} MiB during the outage`);
    return {
      recordsIn: records,
      recordsOut: d.distinct,
      lost: d.lost,
      duplicates: d.duplicates + d.unexpected,
      peakRssMb: peakRss,
      note:
        `down ${(outageMs / 1000).toFixed(0)} s while ${during.length.toLocaleString('en-US')} arrived; ` +
        `${waitingInKafka.toLocaleString('en-US')} uncommitted at its end; RSS ${baseline}->${peakRss} MiB; peak buffered ${peakBuffered.toLocaleString('en-US')} docs (bound ${bound.toLocaleString('en-US')})`,
      failures: inv.failures,
    };
  },
};
