import type { Kafka } from 'kafkajs';
import { STOCK_COMPANIES } from '@gmart/gmart';
import { type Sample, parsePrometheusText, sumOf } from './prometheus-text';
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
  /** Consumer-group lag: from the broker's group metrics when known, else from the service's own. */
  readonly lag: number;
  /** True when {@link lag} comes from the broker (the service's own figure stops when it stalls). */
  readonly lagFromBroker: boolean;
  /** True while the service answers `/metrics`. */
  readonly up: boolean;
  /**
   * Streams client state from `gmart_service_streams_state` (`RUNNING`, `REBALANCING`, `ERROR`, ...),
   * `down` when the process is not running, `no answer` when it runs but does not answer.
   */
  readonly state: string;
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
  /**
   * Industries by the shares traded in their top 5 symbols, most first (stock-analytics'
   * `GET /industries/:industry/top` for the generator's industries), with their leading symbol.
   */
  readonly topIndustries: Array<{ industry: string; shares: number; leader: string }>;
}

type Mover = LiveFrame['topMovers'][number];
type IndustryVolume = LiveFrame['topIndustries'][number];

/** The industries the stock generator trades in. */
const STOCK_INDUSTRIES = [...new Set(STOCK_COMPANIES.map((c) => c.industry))].sort();

/**
 * Samples the pipeline for `npm start`'s live view: the input rate from the end offsets of
 * `transactions`, each service's streams state, processed count and rate from its `/metrics`
 * (`gmart_service_streams_state`, `kafka_stream_thread_process_total`), its consumer group's lag
 * from the broker's metrics endpoint when `brokerMetricsUrl` is given (`kafka_consumergroup_lag`
 * of the group `APPLICATION_ID`, so a stalled or crashed service shows its real lag; else from
 * the service's own `/metrics`), the top customers from the
 * rewards service's `GET /rewards?top=5`, the documents the storage service wrote, the coupons
 * coupon-join issued (end offsets of `coupons`), and the stock
 * section: stock transactions produced, the top movers from stock-analytics'
 * `GET /stocks/performance?top=5` and the top industries by volume from its
 * `GET /industries/:industry/top`.
 */
export class LiveView {
  private last: Reading | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly services: () => ServiceProcess[],
    private readonly inputTopic = 'transactions',
    private readonly stockTopic = 'stock-transactions',
    private readonly couponsTopic = 'coupons',
    private readonly brokerMetricsUrl?: string,
  ) {}

  /** `kafka_consumergroup_lag` of the broker's metrics endpoint, or undefined without one. */
  private async brokerSamples(): Promise<Sample[] | undefined> {
    if (!this.brokerMetricsUrl) return undefined;
    try {
      const res = await fetch(this.brokerMetricsUrl, { signal: AbortSignal.timeout(3000) });
      return res.ok ? parsePrometheusText(await res.text()) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Takes one sample. */
  async sample(): Promise<LiveFrame> {
    const at = Date.now();
    const input = await endOffsetSum(this.kafka, this.inputTopic).catch(() => this.last?.input ?? 0);
    const processed = new Map<string, number>();
    const figures: ServiceFigures[] = [];
    let stored: number | undefined;
    const dt = this.last ? (at - this.last.at) / 1000 : 0;
    const broker = await this.brokerSamples();
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
        lag: broker
          ? sumOf(broker, 'kafka_consumergroup_lag', { consumergroup: s.applicationId })
          : sumOf(samples, 'kafka_consumergroup_lag'),
        lagFromBroker: broker !== undefined,
        up: text !== undefined,
        state: !s.running ? 'down' : text === undefined ? 'no answer' : streamsState(samples),
      });
      if (s.options.definition.name === 'storage' && text && s.url) stored = await storedPurchases(s.url);
    }
    const topCustomers = await this.topCustomers();
    const topMovers = await this.topMovers();
    const topIndustries = topMovers.length ? await this.topIndustries() : [];
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
      topIndustries,
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

  /** One stock-analytics instance answers for every industry (it routes to the owner). */
  private async topIndustries(): Promise<IndustryVolume[]> {
    const s = this.services().find((x) => x.options.definition.name === 'stock-analytics' && x.url);
    if (!s) return [];
    const out: IndustryVolume[] = [];
    for (const industry of STOCK_INDUSTRIES) {
      try {
        const res = await fetch(`${s.url}/industries/${encodeURIComponent(industry)}/top`, {
          signal: AbortSignal.timeout(3000),
        });
        if (!res.ok) continue;
        const { top } = (await res.json()) as { top: Array<{ symbol: string; shares: number }> };
        if (top.length)
          out.push({ industry, shares: top.reduce((n, v) => n + v.shares, 0), leader: top[0]!.symbol });
      } catch {
        // not answering right now
      }
    }
    return out.sort((a, b) => b.shares - a.shares).slice(0, 3);
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

/** The state whose `gmart_service_streams_state` sample is 1 (`unknown` when none is). */
function streamsState(samples: readonly Sample[]): string {
  return (
    samples.find((x) => x.name === 'gmart_service_streams_state' && x.value === 1)?.labels.state ?? 'unknown'
  );
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
      `  ${s.instance.padEnd(15)} ${s.state.padEnd(11)} processed ${String(s.processed).padStart(8)}  ${rate(s.ratePerSec).padStart(7)}/s  lag ${s.lag}`,
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
  if (f.topIndustries.length) {
    lines.push(
      `  top industries by volume (top 5 symbols): ${f.topIndustries.map((i) => `${i.industry} ${i.shares} (${i.leader} leads)`).join(' | ')}`,
    );
  }
  return lines.join('\n');
}
