import { parseFlags } from '@gmart/command-line';
import { type GenerateOptions, UsageError, connectionFromArgs, integer } from './generate-options';

/** Topics the stock generator writes, each from its `TOPIC_*` variable or the default name. */
export interface StockTopics {
  readonly STOCK_TRANSACTIONS: string;
  readonly STOCK_TICKER_TABLE: string;
  readonly STOCK_TICKER_STREAM: string;
  readonly COMPANIES: string;
  readonly CLIENTS: string;
}

/** Default names of {@link StockTopics} (as in deploy/topics.yaml). */
export const DEFAULT_STOCK_TOPICS: StockTopics = Object.freeze({
  STOCK_TRANSACTIONS: 'stock-transactions',
  STOCK_TICKER_TABLE: 'stock-ticker-table',
  STOCK_TICKER_STREAM: 'stock-ticker-stream',
  COMPANIES: 'companies',
  CLIENTS: 'clients',
});

/** Options of the `generate:stocks` CLI, parsed and checked. */
export interface GenerateStocksOptions extends Pick<GenerateOptions, 'brokers' | 'ssl' | 'sasl' | 'help'> {
  /** Stock transactions per second. */
  readonly rate: number;
  /** Transactions to produce; `undefined` means unbounded (until SIGINT/SIGTERM). */
  readonly count: number | undefined;
  readonly topics: StockTopics;
  /** Partitions used when the CLI has to create a topic. */
  readonly partitions: number;
  readonly seed: number;
  readonly clients: number;
  /** Event time of the first transaction (epoch ms). */
  readonly startTime: number;
  /** A ticker update (on both ticker topics) after every n-th transaction. */
  readonly tickerEvery: number;
  readonly clientId: string;
}

export const GENERATE_STOCKS_USAGE = `Usage: npm run generate:stocks -- [options]

Produces a generated stock market to Kafka: the companies and clients (compacted reference topics,
keyed by symbol / customer id, written first), then stock transactions keyed by symbol, with a
ticker update of the traded symbol on the ticker table and stream topics every few transactions.
Topic names come from TOPIC_STOCK_TRANSACTIONS, TOPIC_STOCK_TICKER_TABLE, TOPIC_STOCK_TICKER_STREAM,
TOPIC_COMPANIES, TOPIC_CLIENTS (defaults: stock-transactions, stock-ticker-table, stock-ticker-stream,
companies, clients). TLS and SASL as for \`npm run generate\` (KAFKA_SSL, KAFKA_SSL_*, KAFKA_SASL_*).

  --rate <n>          transactions per second (default 100)
  --count <n>         transactions to produce, then exit (default: unbounded, stop with Ctrl-C)
  --brokers <list>    comma-separated bootstrap servers (default $KAFKA_BROKERS or localhost:9092)
  --partitions <n>    partitions of topics the CLI creates (default 3)
  --seed <n>          random seed: same seed, same clients, prices and trades (default 1)
  --clients <n>       distinct trading clients (default 100)
  --start-time <iso>  event time of the first transaction (default now)
  --ticker-every <n>  one ticker update per n transactions (default 5)
  --client-id <id>    Kafka client id (default gmart-stock-generator)
  --help              show this help
`;

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/**
 * Parses the `generate:stocks` CLI's arguments (without `node` and the script) and environment.
 * Throws a {@link UsageError} naming the flag or variable on any unknown flag or bad value.
 */
export function parseGenerateStocksOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  now = Date.now(),
): GenerateStocksOptions {
  const { values, help } = parseFlags(
    argv,
    ['rate', 'count', 'brokers', 'partitions', 'seed', 'clients', 'start-time', 'ticker-every', 'client-id'],
    { error: (m) => new UsageError(m) },
  );
  const str = (k: keyof typeof values) => values[k];
  const fromEnv = (name: string) => (env[name]?.trim() ? env[name]!.trim() : undefined);
  const topicNamed = (k: keyof StockTopics): string => {
    const name = fromEnv(`TOPIC_${k}`) ?? DEFAULT_STOCK_TOPICS[k];
    if (!TOPIC_NAME.test(name)) throw new UsageError(`TOPIC_${k} is not a valid Kafka topic name`);
    return name;
  };
  const topics: StockTopics = {
    STOCK_TRANSACTIONS: topicNamed('STOCK_TRANSACTIONS'),
    STOCK_TICKER_TABLE: topicNamed('STOCK_TICKER_TABLE'),
    STOCK_TICKER_STREAM: topicNamed('STOCK_TICKER_STREAM'),
    COMPANIES: topicNamed('COMPANIES'),
    CLIENTS: topicNamed('CLIENTS'),
  };
  let startTime = now;
  const rawStart = str('start-time');
  if (rawStart !== undefined) {
    startTime = Date.parse(rawStart);
    if (Number.isNaN(startTime))
      throw new UsageError(`--start-time must be an ISO-8601 date-time, got "${rawStart}"`);
  }
  const countRaw = str('count');
  return {
    rate: integer('rate', str('rate'), 100, 1, 10_000_000),
    count: countRaw === undefined ? undefined : integer('count', countRaw, 0, 1, Number.MAX_SAFE_INTEGER),
    topics,
    partitions: integer('partitions', str('partitions'), 3, 1, 10_000),
    seed: integer('seed', str('seed'), 1, 0, 2 ** 31 - 1),
    clients: integer('clients', str('clients'), 100, 1, 1_000_000),
    startTime,
    tickerEvery: integer('ticker-every', str('ticker-every'), 5, 1, 1_000_000),
    clientId: str('client-id') ?? 'gmart-stock-generator',
    ...connectionFromArgs(str('brokers'), env),
    help,
  };
}
