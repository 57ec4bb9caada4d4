/**
 * `npm run generate:stocks -- --rate 100 [--count 10000] [--brokers localhost:9092] [--seed 1]`
 *
 * Feeds stock-analytics with a generated stock market (see GENERATE_STOCKS_USAGE). Unbounded
 * without `--count`; Ctrl-C or SIGTERM stops it after the batch in flight. Bad flags print the
 * problem and the usage and exit 2; a Kafka failure exits 1.
 */
import { UsageError } from './generate-options';
import { GENERATE_STOCKS_USAGE, parseGenerateStocksOptions } from './generate-stocks-options';

async function main(): Promise<number> {
  let options;
  try {
    options = parseGenerateStocksOptions(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`generate:stocks: ${e.message}\n\n${GENERATE_STOCKS_USAGE}`);
      return 2;
    }
    throw e;
  }
  if (options.help) {
    process.stdout.write(GENERATE_STOCKS_USAGE);
    return 0;
  }
  // Loaded once the flags are checked: `--help` and a bad flag answer without loading Kafka.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { produceStocks } = require('./stock-producer') as typeof import('./stock-producer');
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const target = options.count === undefined ? 'unbounded' : `${options.count} transactions`;
  process.stderr.write(
    `generate:stocks: producing to "${options.topics.STOCK_TRANSACTIONS}" on ${options.brokers.join(',')} at ${options.rate}/s (${target}, seed ${options.seed})\n`,
  );
  try {
    const result = await produceStocks(options, {
      signal: abort.signal,
      onProgress: (p) =>
        process.stderr.write(
          `generate:stocks: sent ${p.sent} (${Math.round((p.sent * 1000) / Math.max(1, p.elapsedMs))}/s)\n`,
        ),
    });
    process.stdout.write(
      `${JSON.stringify({ topic: options.topics.STOCK_TRANSACTIONS, sent: result.sent, elapsedMs: result.elapsedMs })}\n`,
    );
    return 0;
  } catch (e) {
    process.stderr.write(`generate:stocks: failed: ${(e as Error).message}\n`);
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`generate:stocks: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
