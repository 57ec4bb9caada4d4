import type { Kafka } from 'kafkajs';
import { parsePrometheusText, sumOf } from './prometheus-text';
import type { ServiceProcess } from './service-process';
import { endOffsetSum } from './topic-reader';

interface Reading {
  readonly at: number;
  readonly input: number;
  readonly processed: Map<string, number>;
}

/** One service's figures in a live-view frame. */
export interface ServiceFigures {
  readonly instance: string;
  readonly processed: number;
  readonly ratePerSec: number;
  readonly lag: number;
  readonly up: boolean;
}

/** One frame of the live view. */
export interface LiveFrame {
  readonly time: Date;
  /** False for the first frame: rates need two samples. */
  readonly hasRates: boolean;
  readonly inputTotal: number;
  readonly inputRatePerSec: number;
  readonly services: ServiceFigures[];
  readonly topCustomers: Array<{ customerId: string; totalRewardPoints: number }>;
  readonly stored: number | undefined;
  /** Coupons issued so far by coupon-join (end offsets of `coupons`). */
  readonly couponsIssued: number;
  /** Stock transactions produced so far (end offsets of `stock-transactions`). */
  readonly stockTransactions: number;
  /** Symbols furthest from their 20-trade average price (stock-analytics' `GET /stocks/performance?top=5`). */
  readonly topMovers: Array<{ symbol: string; currentPrice: number; priceDifferential: number }>;
}

type Mover = LiveFrame['topMovers'][number];

/**
 * Samples the pipeline for `npm start`'s live view: the input rate from the end offsets of
 * `transactions`, each service's processed count, rate and consumer-group lag from its `/metrics`
 * (`kafka_stream_thread_process_total`, `kafka_consumergroup_lag`), the top customers from the
 * rewards service's `GET /rewards?top=5`, the documents the storage service wrote, the coupons
 * coupon-join issued (end offsets of `coupons`), and the stock
 * section: stock transactions produced and the top movers from stock-analytics'
 * `GET /stocks/performance?top=5`.
 */
export class LiveView {
  private last: Reading | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly services: () => ServiceProcess[],
    private readonly inputTopic = 'transactions',
    private readonly stockTopic = 'stock-transactions',
    private readonly couponsTopic = 'coupons',
  ) {}

  /** Takes one sample. */
  async sample(): Promise<LiveFrame> {
    const at = Date.now();
    const input = await endOffsetSum(this.kafka, this.inputTopic).catch(() => this.last?.input ?? 0);
    const processed = new Map<string, number>();
    const figures: ServiceFigures[] = [];
    let stored: number | undefined;
    const dt = this.last ? (at - this.last.at) / 1000 : 0;
    for (const s of this.services()) {
      const text = await s.metrics();
      const samples = text ? parsePrometheusText(text) : [];
      const count = sumOf(samples, 'kafka_stream_thread_process_total');
      processed.set(s.instance, count);
      const before = this.last?.processed.get(s.instance);
      figures.push({
        instance: s.instance,
        processed: count,
        ratePerSec: before !== undefined && dt > 0 ? Math.max(0, count - before) / dt : 0,
        lag: sumOf(samples, 'kafka_consumergroup_lag'),
        up: text !== undefined,
      });
      if (s.options.definition.name === 'storage' && text && s.url) stored = await storedPurchases(s.url);
    }
    const topCustomers = await this.topCustomers();
    const topMovers = await this.topMovers();
    const stockTransactions = await endOffsetSum(this.kafka, this.stockTopic).catch(() => 0);
    const couponsIssued = await endOffsetSum(this.kafka, this.couponsTopic).catch(() => 0);
    const frame: LiveFrame = {
      time: new Date(at),
      hasRates: this.last !== undefined,
      inputTotal: input,
      inputRatePerSec: this.last && dt > 0 ? Math.max(0, input - this.last.input) / dt : 0,
      services: figures,
      topCustomers,
      stored,
      couponsIssued,
      stockTransactions,
      topMovers,
    };
    this.last = { at, input, processed };
    return frame;
  }

  private async topCustomers(): Promise<Array<{ customerId: string; totalRewardPoints: number }>> {
    const all: Array<{ customerId: string; totalRewardPoints: number }> = [];
    for (const s of this.services().filter((x) => x.options.definition.name === 'rewards' && x.url)) {
      try {
        const res = await fetch(`${s.url}/rewards?top=5`, { signal: AbortSignal.timeout(3000) });
        if (res.ok)
          all.push(
            ...((await res.json()) as { customers: Array<{ customerId: string; totalRewardPoints: number }> })
              .customers,
          );
      } catch {
        // not answering right now
      }
    }
    return all.sort((a, b) => b.totalRewardPoints - a.totalRewardPoints).slice(0, 5);
  }

  private async topMovers(): Promise<Mover[]> {
    const all: Mover[] = [];
    for (const s of this.services().filter((x) => x.options.definition.name === 'stock-analytics' && x.url)) {
      try {
        const res = await fetch(`${s.url}/stocks/performance?top=5`, { signal: AbortSignal.timeout(3000) });
        if (res.ok) all.push(...((await res.json()) as Mover[]));
      } catch {
        // not answering right now
      }
    }
    return all.sort((a, b) => Math.abs(b.priceDifferential) - Math.abs(a.priceDifferential)).slice(0, 5);
  }
}

/**
 * Documents in MongoDB's purchases collection from the storage service's `GET /purchases/count`
 * (`estimatedDocumentCount`: collection metadata, no scan, so polling it costs nothing as it grows).
 */
async function storedPurchases(url: string): Promise<number | undefined> {
  try {
    const res = await fetch(`${url}/purchases/count`, { signal: AbortSignal.timeout(2000) });
    return res.ok ? ((await res.json()) as { count: number }).count : undefined;
  } catch {
    return undefined;
  }
}

/** Renders a frame as a few compact lines. */
export function renderFrame(f: LiveFrame): string {
  const rate = (r: number) => (f.hasRates ? r.toFixed(1) : '-');
  const lines = [
    `[${f.time.toISOString().slice(11, 19)}] transactions ${f.inputTotal} (${rate(f.inputRatePerSec)}/s in)` +
      (f.stored !== undefined ? `  stored in MongoDB ${f.stored}` : ''),
  ];
  for (const s of f.services) {
    lines.push(
      `  ${s.instance.padEnd(15)} ${s.up ? 'up  ' : 'DOWN'} processed ${String(s.processed).padStart(8)}  ${rate(s.ratePerSec).padStart(7)}/s  lag ${s.lag}`,
    );
  }
  if (f.topCustomers.length) {
    lines.push(
      `  top rewards: ${f.topCustomers.map((c) => `${c.customerId} ${c.totalRewardPoints}`).join(' | ')}`,
    );
  }
  if (f.couponsIssued > 0)
    lines.push(`  coupons issued (coffee + electronics within 20 min): ${f.couponsIssued}`);
  if (f.stockTransactions > 0 || f.topMovers.length) {
    const pct = (d: number) => `${d >= 0 ? '+' : ''}${(d * 100).toFixed(1)}%`;
    lines.push(
      `  stocks: ${f.stockTransactions} transactions` +
        (f.topMovers.length
          ? `; top movers: ${f.topMovers.map((m) => `${m.symbol} ${m.currentPrice.toFixed(2)} ${pct(m.priceDifferential)}`).join(' | ')}`
          : ''),
    );
  }
  return lines.join('\n');
}
