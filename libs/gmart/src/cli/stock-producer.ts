import { toKafkaJsConnection } from '@gmart/kafka-connection';
import { Kafka, logLevel, type Message, type Producer } from 'kafkajs';
import { StockGenerator } from '../generator/stock-generator';
import { GmartSerdes } from '../serde/gmart-serdes';
import type { GenerateStocksOptions } from './generate-stocks-options';
import type { ProduceHooks, ProduceProgress } from './purchase-producer';

const TICK_MS = 50;
const MAX_BATCH = 5_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function ensureTopics(kafka: Kafka, options: GenerateStocksOptions): Promise<void> {
  const { topics } = options;
  const compacted = new Set([topics.COMPANIES, topics.CLIENTS, topics.STOCK_TICKER_TABLE]);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...new Set(Object.values(topics))].filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({
        topics: missing.map((topic) => ({
          topic,
          numPartitions: options.partitions,
          ...(compacted.has(topic) ? { configEntries: [{ name: 'cleanup.policy', value: 'compact' }] } : {}),
        })),
        waitForLeaders: true,
      });
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * Produces the generated stock market: first the `companies` and `clients` reference records (keyed
 * by symbol / customer id), then transactions keyed by symbol at `options.rate`/s, with a ticker
 * update of the traded symbol on both ticker topics after every `tickerEvery`-th transaction, until
 * `options.count` transactions are acknowledged or the signal aborts. Creates missing topics (the
 * reference and ticker-table topics compacted). Resolves with the transactions acknowledged.
 */
export async function produceStocks(
  options: GenerateStocksOptions,
  hooks: ProduceHooks = {},
): Promise<ProduceProgress> {
  const kafka = new Kafka({
    clientId: options.clientId,
    ...toKafkaJsConnection(options),
    logLevel: logLevel.ERROR,
  });
  await ensureTopics(kafka, options);
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const { topics } = options;
  const generator = new StockGenerator({
    seed: options.seed,
    clients: options.clients,
    startTime: options.startTime,
    intervalMs: 1000 / options.rate,
  });
  const txSerializer = GmartSerdes.StockTransaction().serializer();
  const tickerSerializer = GmartSerdes.StockTicker().serializer();
  const started = Date.now();
  const progressEvery = hooks.progressIntervalMs ?? 5000;
  let lastProgress = started;
  let sent = 0;
  try {
    const companySerializer = GmartSerdes.Company().serializer();
    const clientSerializer = GmartSerdes.Client().serializer();
    await producer.sendBatch({
      acks: -1,
      topicMessages: [
        {
          topic: topics.COMPANIES,
          messages: generator.companies().map((c) => ({
            key: c.symbol,
            value: companySerializer.serialize(topics.COMPANIES, c),
            timestamp: String(options.startTime),
          })),
        },
        {
          topic: topics.CLIENTS,
          messages: generator.clients().map((c) => ({
            key: c.customerId,
            value: clientSerializer.serialize(topics.CLIENTS, c),
            timestamp: String(options.startTime),
          })),
        },
      ],
    });
    while (!hooks.signal?.aborted && (options.count === undefined || sent < options.count)) {
      const elapsed = Date.now() - started;
      const due = Math.floor((elapsed / 1000) * options.rate) + 1;
      const limit = options.count === undefined ? due : Math.min(due, options.count);
      const n = Math.min(limit - sent, MAX_BATCH);
      if (n <= 0) {
        await sleep(TICK_MS);
        continue;
      }
      const transactions: Message[] = new Array(n);
      const tickers: Message[] = [];
      for (let i = 0; i < n; i++) {
        const t = generator.nextTransaction();
        const timestamp = String(t.transactionTimestamp);
        transactions[i] = {
          key: t.symbol,
          value: txSerializer.serialize(topics.STOCK_TRANSACTIONS, t),
          timestamp,
        };
        if (generator.transactions % options.tickerEvery === 0) {
          tickers.push({
            key: t.symbol,
            value: tickerSerializer.serialize(topics.STOCK_TICKER_TABLE, generator.ticker(t.symbol)),
            timestamp,
          });
        }
      }
      await producer.sendBatch({
        acks: -1,
        topicMessages: [
          { topic: topics.STOCK_TRANSACTIONS, messages: transactions },
          ...(tickers.length > 0
            ? [
                { topic: topics.STOCK_TICKER_TABLE, messages: tickers },
                { topic: topics.STOCK_TICKER_STREAM, messages: tickers },
              ]
            : []),
        ],
      });
      sent += n;
      const now = Date.now();
      if (hooks.onProgress && now - lastProgress >= progressEvery) {
        lastProgress = now;
        hooks.onProgress({ sent, elapsedMs: now - started });
      }
    }
  } finally {
    await producer.disconnect();
  }
  return { sent, elapsedMs: Date.now() - started };
}
