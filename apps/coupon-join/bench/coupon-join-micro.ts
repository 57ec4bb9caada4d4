/**
 * `npm run bench:micro -w @gmart/coupon-join`: the CPU per input purchase of the coupon-join
 * topology without a broker, on the purchases `bench:pipeline`'s coupons case sends (seed 1, 1,000
 * customers, masked): the records go through the test driver's tasks (the runtime's `StreamTask`,
 * the join's window stores, the coupons store with its record cache and LMDB, serdes and the
 * repartition topics) with a commit (each task's `prepareCommit`) every MICRO_COMMIT_RECORDS input
 * records, as the service's commit interval does (the driver's public input flushes after every
 * record). Kafka's produce and fetch are left out. Prints the CPU per input record (median and least of
 * MICRO_RUNS), per run the bytes allocated and surviving young GCs per input (`gcSummary`: unlike
 * CPU time, they do not move with the machine's load), and the records and bytes written per input,
 * topic by topic.
 * Env: MICRO_RECORDS (default 40000), MICRO_RUNS (default 4; the first warms up and is not
 * counted), MICRO_COMMIT_RECORDS (default 500), MICRO_GRACE_MS (default a week, as the bench),
 * MICRO_PROFILE (a file: the CPU profile of the counted runs, for Chrome DevTools or `--cpu-prof` tools).
 */
import * as fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { GCProfiler, getHeapStatistics } from 'node:v8';
import { driverInternals, gcSummary, median } from '@gmart/bench-support';
import { benchCommandLine } from '@gmart/command-line';
import { GmartSerdes, PurchaseGenerator, maskPurchase } from '@gmart/gmart';
import { TopologyTestDriver } from '@gmart/streams/testing';
import { SEED_COUPON_JOIN, buildCouponJoinTopology } from '../src';

const USAGE = `Usage: npm run bench:micro -w @gmart/coupon-join

CPU per input purchase of the coupon-join topology without a broker: the test driver's tasks with a
commit every MICRO_COMMIT_RECORDS input records.

Settings come from the environment: MICRO_RECORDS (default 40000), MICRO_RUNS (default 4, the first
not counted), MICRO_COMMIT_RECORDS (default 500), MICRO_GRACE_MS (default 604800000), MICRO_PROFILE
(a file to write the CPU profile of the counted runs to).

  -h, --help   show this help
`;

benchCommandLine('bench:micro @gmart/coupon-join', USAGE);

const RECORDS = Number(process.env.MICRO_RECORDS ?? 40_000);
const RUNS = Number(process.env.MICRO_RUNS ?? 4);
const COMMIT = Number(process.env.MICRO_COMMIT_RECORDS ?? 500);
const GRACE_MS = Number(process.env.MICRO_GRACE_MS ?? 604_800_000);
const PROFILE = process.env.MICRO_PROFILE;
const topics = { PURCHASES: 'purchases', COFFEE: 'coffee', ELECTRONICS: 'electronics', COUPONS: 'coupons' };

/** The test driver's internals this harness drives (as `bench:table-micro` of `@gmart/streams`). */
interface OutgoingRecord {
  topic: string;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: number;
  headers: object;
}
interface Written {
  records: number;
  bytes: number;
}

async function run(
  values: Buffer[],
  times: number[],
): Promise<{ us: number; gc: string; written: Map<string, Written> }> {
  const topology = buildCouponJoinTopology(topics, { ...SEED_COUPON_JOIN, graceMs: GRACE_MS });
  const driver = await TopologyTestDriver.create(topology);
  const d = driverInternals<OutgoingRecord>(driver);
  const written = new Map<string, Written>();
  const drainPending = () => {
    while (d.pending.length) {
      for (const r of d.pending.splice(0)) d.processOne(r.topic, r.key, r.value, r.timestamp, r.headers);
    }
  };
  const count = () => {
    for (const [t, q] of d.outputs) {
      const w = written.get(t) ?? { records: 0, bytes: 0 };
      for (const r of q) {
        w.records++;
        w.bytes += (r.key?.length ?? 0) + (r.value?.length ?? 0);
      }
      written.set(t, w);
    }
    d.outputs.clear();
  };
  const n = values.length;
  const profiler = new GCProfiler();
  const usedAtStart = getHeapStatistics().used_heap_size;
  profiler.start();
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    d.processOne('purchases', null, values[i]!, times[i]!, {});
    drainPending();
    if ((i + 1) % COMMIT === 0 || i === n - 1) {
      for (;;) {
        for (const t of d.tasks) await t.prepareCommit();
        if (d.pending.length === 0) break;
        drainPending();
      }
    }
    if ((i & 1023) === 0) count();
  }
  const used = process.cpuUsage(start);
  const gc = gcSummary(profiler.stop(), usedAtStart, n);
  count();
  await driver.close();
  return { us: (used.user + used.system) / n, gc, written };
}

async function main(): Promise<void> {
  const serde = GmartSerdes.Purchase().serializer();
  const purchases = new PurchaseGenerator({ seed: 1, customers: 1000 }).take(RECORDS).map(maskPurchase);
  const values = purchases.map((p) => serde.serialize('purchases', p)!);
  const times = purchases.map((p) => p.purchaseDate);
  const us: number[] = [];
  const session = PROFILE ? new Session() : undefined;
  for (let r = 0; r < RUNS; r++) {
    if (session && r === Math.min(1, RUNS - 1)) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    const res = await run(values, times);
    us.push(res.us);
    const parts = [...res.written]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([t, w]) =>
          `${t.replace('test-driver-', '')} ${(w.records / RECORDS).toFixed(2)} (${Math.round(w.bytes / Math.max(1, w.records))} B)`,
      );
    console.log(
      `run ${r + 1}: ${res.us.toFixed(2)} us CPU per input record; per input: ${res.gc}; written per input: ${parts.join(', ')}`,
    );
  }
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(PROFILE!, JSON.stringify(profile));
    session.disconnect();
  }
  const counted = us.length > 1 ? us.slice(1) : us;
  console.log(
    `${RECORDS} purchases, commit every ${COMMIT}: median of runs 2-${us.length} ${median(counted).toFixed(2)} us CPU per input record (least ${Math.min(...counted).toFixed(2)})`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
