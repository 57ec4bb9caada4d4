import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GmartSerdes, PurchaseGenerator, maskPurchase } from '@gmart/gmart';
import { LocalStack, readTopic, serviceNamed, waitForRecords } from '../../../scripts/local-stack';
jest.setTimeout(200_000);
it('diag', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'diag-'));
  const stack = await LocalStack.start({ kafkaPort: 0, dataDir, services: [serviceNamed('rewards')], httpPorts: 'ephemeral', serviceEnv: { COMMIT_INTERVAL_MS: '500' } });
  try {
    const kafka = stack.kafka();
    const serde = GmartSerdes.Purchase();
    const ps = new PurchaseGenerator({ seed: 5, customers: 100 }).take(6000).map(maskPurchase);
    const producer = kafka.producer(); await producer.connect();
    for (let i = 0; i < ps.length; i += 500) await producer.send({ topic: 'purchases', messages: ps.slice(i, i + 500).map((p) => ({ key: null, value: serde.serializer().serialize('purchases', p) })) });
    await producer.disconnect();
    await waitForRecords(kafka, 'rewards', 6000, 100000);
    await new Promise((r) => setTimeout(r, 3000));
    for (const [topic, field] of [['customer_transactions', ''], ['rewards', 'totalRewardPoints'], ['gmart-rewards-rewardsPointsStore-changelog', 'totalRewardPoints']] as const) {
      const recs = (await readTopic(kafka, topic)).sort((a, b) => a.partition - b.partition || a.offset - b.offset);
      let viol = 0; const last = new Map<string, number>();
      let tsViol = 0; const lastTs = new Map<number, number>();
      for (const r of recs) {
        if ((lastTs.get(r.partition) ?? 0) > r.timestamp) tsViol++;
        lastTs.set(r.partition, r.timestamp);
        if (!field) continue;
        const v = JSON.parse(r.value!.toString())[field] as number; const k = r.key!.toString();
        if ((last.get(k) ?? -1) > v) viol++;
        last.set(k, v);
      }
      console.log(topic, recs.length, 'non-monotonic per key:', viol, 'timestamp decreases:', tsViol);
    }
  } finally { await stack.stop(); fs.rmSync(dataDir, { recursive: true, force: true }); }
});
