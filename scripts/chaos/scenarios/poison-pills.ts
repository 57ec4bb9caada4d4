import { readCommitted } from '@gmart/test-support';
import { compareKeys, waitForNoLag } from '../delivery';
import { setUpMasking } from '../masking-instance';
import { produceAcknowledged, purchaseRecords } from '../purchase-records';
import { RssSampler } from '../rss-sampler';
import { Invariants, type Scenario } from '../scenario';
import { scanForCardNumbers } from '@gmart/gmart';

/** Every 100th record is a poison pill. */
const EVERY = 100;

/**
 * The poison pills: each carries a card number in clear (a real generated one) and is not a
 * purchase: broken JSON, a missing field, an absurd quantity, a tombstone-like empty object, a
 * wrong type. Cycled through in turn.
 */
function poison(i: number, card: string): string {
  switch (i % 5) {
    case 0:
      return `{"creditCardNumber":"${card}","firstName":"broken`;
    case 1:
      return JSON.stringify({ creditCardNumber: card, firstName: 'No', lastName: 'Customer' });
    case 2:
      return JSON.stringify({ creditCardNumber: card, quantity: 1e9, note: `card ${card}` });
    case 3:
      return `not json at all, paid with ${card}`;
    default:
      return JSON.stringify({ creditCardNumber: card, price: 'ten' });
  }
}

/**
 * 1% poison pills among the purchases into masking. Invariants: the dead-letter topic holds
 * exactly the poison pills (each once, by key, none of the valid purchases), no card number in
 * clear in any dead-letter key, value or header, and every valid purchase reaches the output.
 */
export const poisonPills: Scenario = {
  name: 'poison-pills',
  summary: '1% poison pills: the DLQ holds exactly those, card numbers masked; every valid purchase out',
  defaultRecords: 100_000,
  async run(env, records) {
    const m = await setUpMasking(env, 'chaos-poison', 3);
    const masking = env.startService('masking', 'poison-masking', m.env);
    await masking.waitReady(90_000);
    const rss = new RssSampler(() => [masking.pid]);
    const input = purchaseRecords('pp', records, 3).map((r, i) =>
      i % EVERY === EVERY - 1
        ? { key: `pill-${i}`, value: poison(i / EVERY, r.purchase.creditCardNumber) }
        : { key: r.key, value: r.value },
    );
    const pills = input.filter((r) => r.key.startsWith('pill-')).map((r) => r.key);
    const valid = input.filter((r) => !r.key.startsWith('pill-')).map((r) => r.key);
    await produceAcknowledged(env.kafka, m.input, input, { chunk: 1000 });
    await waitForNoLag(env.kafka, m.applicationId, m.input, 300_000);
    const dlqRecords = await readCommitted(env.kafka, m.dlq, 120_000);
    const out = compareKeys(
      valid,
      (await readCommitted(env.kafka, m.output, 300_000)).map((r) => r.key),
    );
    const inDlq = compareKeys(
      pills,
      dlqRecords.map((r) => r.key),
    );
    const clear = dlqRecords.filter((r) =>
      [r.value?.toString('latin1') ?? '', r.key ?? '', ...Object.values(r.headers)].some(
        (t) => scanForCardNumbers(t).length > 0,
      ),
    ).length;
    const peakRssMb = rss.stop();
    await env.stopService(masking);
    const inv = new Invariants();
    inv.check(inDlq.lost === 0, `${inDlq.lost} poison pills missing from the DLQ`);
    inv.check(inDlq.duplicates === 0, `${inDlq.duplicates} poison pills dead-lettered twice`);
    inv.check(inDlq.unexpected === 0, `${inDlq.unexpected} DLQ records that are not poison pills`);
    inv.check(clear === 0, `${clear} DLQ records hold a card number in clear`);
    inv.check(out.lost === 0, `${out.lost} valid purchases lost`);
    inv.check(out.unexpected === 0, `${out.unexpected} output records that are not valid purchases`);
    return {
      recordsIn: records,
      recordsOut: out.distinct,
      lost: out.lost,
      duplicates: out.duplicates,
      dlq: dlqRecords.length,
      peakRssMb,
      note: `${pills.length.toLocaleString('en-US')} pills sent, ${inDlq.distinct.toLocaleString('en-US')} in DLQ, ${clear} unmasked`,
      failures: inv.failures,
    };
  },
};
