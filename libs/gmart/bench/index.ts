/**
 * `npm run bench -w @gmart/gmart`: per-record CPU cost of the G-Mart building blocks on this
 * machine (no broker): generating purchases, the Purchase serde both ways, the masking step as the
 * masking service runs it (deserialize + mask + serialize), and card-number scanning.
 */
import { benchCommandLine } from '@gmart/command-line';
import { GmartSerdes, PurchaseGenerator, findCardNumbers, maskPurchase } from '../src';

const USAGE = `Usage: npm run bench -w @gmart/gmart

Per-record CPU cost of generating, the Purchase serde, masking and card-number scanning.

Settings come from the environment: BENCH_RECORDS (default 200000).

  -h, --help   show this help
`;

// The benchmark takes no flags (its settings are environment variables).
benchCommandLine('bench @gmart/gmart', USAGE);

const N = Number(process.env.BENCH_RECORDS ?? 200_000);

function measure(name: string, run: () => void): void {
  run(); // warm-up
  const started = process.hrtime.bigint();
  run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(
    `${name.padEnd(34)} ${Math.round(N / seconds)
      .toLocaleString('en-US')
      .padStart(12)} records/s\n`,
  );
}

const generator = new PurchaseGenerator({ seed: 1 });
const purchases = generator.take(N);
const serde = GmartSerdes.Purchase();
const serializer = serde.serializer();
const deserializer = serde.deserializer();
const bytes = purchases.map((p) => serializer.serialize('transactions', p)!);
const texts = bytes.map((b) => b.toString('utf8'));
const avg = Math.round(bytes.reduce((s, b) => s + b.length, 0) / N);

process.stdout.write(`${N} purchases, ${avg} bytes of JSON on average\n`);
measure('generate', () => void new PurchaseGenerator({ seed: 2 }).take(N));
measure('serialize Purchase', () => purchases.forEach((p) => serializer.serialize('purchases', p)));
measure('deserialize Purchase', () => bytes.forEach((b) => deserializer.deserialize('transactions', b)));
measure('deserialize + mask + serialize', () =>
  bytes.forEach((b) =>
    serializer.serialize('purchases', maskPurchase(deserializer.deserialize('transactions', b)!)),
  ),
);
measure('findCardNumbers (JSON text)', () => texts.forEach((t) => findCardNumbers(t)));
