/**
 * `npm run generate -- --rate 500 --count 100000 [--brokers localhost:9092] [--topic transactions]`
 *
 * Feeds the G-Mart pipeline with generated purchases. Unbounded without `--count`; Ctrl-C or
 * SIGTERM stops it after the batch in flight. Bad flags print the problem and the usage and exit 2;
 * a Kafka failure exits 1.
 */
import { GENERATE_USAGE, UsageError, parseGenerateOptions } from './generate-options';

async function main(): Promise<number> {
  let options;
  try {
    options = parseGenerateOptions(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`generate: ${e.message}\n\n${GENERATE_USAGE}`);
      return 2;
    }
    throw e;
  }
  if (options.help) {
    process.stdout.write(GENERATE_USAGE);
    return 0;
  }
  // Loaded once the flags are checked: `--help` and a bad flag answer without loading Kafka.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { producePurchases } = require('./purchase-producer') as typeof import('./purchase-producer');
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const target = options.count === undefined ? 'unbounded' : `${options.count} records`;
  process.stderr.write(
    `generate: producing to "${options.topic}" on ${options.brokers.join(',')} at ${options.rate}/s (${target}, seed ${options.seed})\n`,
  );
  try {
    const result = await producePurchases(options, {
      signal: abort.signal,
      onProgress: (p) =>
        process.stderr.write(
          `generate: sent ${p.sent} (${Math.round((p.sent * 1000) / Math.max(1, p.elapsedMs))}/s)\n`,
        ),
    });
    process.stdout.write(
      `${JSON.stringify({ topic: options.topic, sent: result.sent, elapsedMs: result.elapsedMs })}\n`,
    );
    return 0;
  } catch (e) {
    process.stderr.write(`generate: failed: ${(e as Error).message}\n`);
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`generate: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
