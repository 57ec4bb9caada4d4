import { waitFor } from '@gmart/test-support';
import { MongoClient } from 'mongodb';
import { parsePrometheusText, sumOf } from '../../local-stack/prometheus-text';
import { compareKeys } from '../delivery';
import { LatencyProxy } from '../latency-proxy';
import { produceAcknowledged } from '../purchase-records';
import { maskedPurchaseRecords } from '../rewards-instance';
import { RssSampler } from '../rss-sampler';
import { expectedPurchaseIds, setUpStorage } from '../storage-instance';
import { Invariants, type Scenario } from '../scenario';

const PARTITIONS = 3;
/** Every MongoDB answer held this long. */
const DELAY_MS = 2000;
const BATCH_SIZE = 200;

/**
 * The storage service behind a slow MongoDB: a proxy holds every answer 2 s, with 200 documents
 * per bulk write, so the 4,000 purchases take over a minute to store, longer than the consumer's
 * 30 s session timeout, with the thread waiting on the sink. Invariants: no rebalance once it is
 * running (`kafka_stream_rebalances_total` unchanged: the thread keeps heartbeating while it waits
 * on the sink), and every purchase over 5.00 stored once.
 */
export const slowSink: Scenario = {
  name: 'slow-sink',
  summary: 'storage behind a MongoDB answering after 2 s: no rebalance loop, every purchase stored once',
  defaultRecords: 4_000,
  async run(env, records) {
    const s = await setUpStorage(env, 'chaos-slow-sink', PARTITIONS);
    const proxy = await LatencyProxy.start(env.mongoPort, DELAY_MS);
    const rebalances = async () =>
      sumOf(parsePrometheusText((await storage.metrics()) ?? ''), 'kafka_stream_rebalances_total');
    const storage = env.startService('storage', 'slow-sink-storage', {
      ...s.env,
      MONGODB_URI: `mongodb://127.0.0.1:${proxy.port}`,
      MONGODB_BATCH_SIZE: String(BATCH_SIZE),
    });
    const client = new MongoClient(env.mongoUri, { serverSelectionTimeoutMS: 5000 });
    try {
      await storage.waitReady(120_000);
      const rss = new RssSampler(() => [storage.pid]);
      const joinsAtStart = await rebalances();
      const input = maskedPurchaseRecords('ss', records, 6, 500);
      const want = expectedPurchaseIds(input.map((r) => r.purchase));
      await client.connect();
      const purchases = () => client.db(s.database).collection('purchases');
      const t0 = Date.now();
      await produceAcknowledged(env.kafka, s.input, input, { chunk: 1000 });
      await waitFor(
        async () => (await purchases().countDocuments()) >= want.length,
        400_000,
        'purchases stored through the slow sink',
        1000,
      ).catch(() => undefined);
      const drainSeconds = (Date.now() - t0) / 1000;
      const joins = (await rebalances()) - joinsAtStart;
      const ids = (
        await purchases()
          .find({}, { projection: { _id: 1 } })
          .toArray()
      ).map((d) => String(d._id));
      const d = compareKeys(want, ids);
      const peakRssMb = rss.stop();
      const stillUp = storage.running;
      const inv = new Invariants();
      inv.check(stillUp, 'the storage service exited');
      inv.check(joins === 0, `${joins} rebalances while the sink was slow`);
      inv.check(d.lost === 0, `${d.lost} purchases not stored`);
      inv.check(d.duplicates + d.unexpected === 0, `${d.duplicates + d.unexpected} extra documents`);
      return {
        recordsIn: records,
        recordsOut: d.distinct,
        lost: d.lost,
        duplicates: d.duplicates + d.unexpected,
        peakRssMb,
        note: `MongoDB answers +${DELAY_MS} ms, ${BATCH_SIZE} docs/write; ${joins} rebalances; drained in ${drainSeconds.toFixed(0)} s`,
        failures: inv.failures,
      };
    } finally {
      await client.close();
      if (storage.running) await env.stopService(storage);
      await proxy.stop();
    }
  },
};
