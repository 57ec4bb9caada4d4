/**
 * `create-topics`: creates every topic listed in one or more topics files (default: deploy/topics.yaml)
 * on the cluster named by KAFKA_BROKERS, waiting for the cluster to come up (`--timeout-ms`, default 120000).
 * Used by the compose `topic-init` job, the Helm pre-install/pre-upgrade Job and `npm start`.
 * Exit code 0 when every topic exists, 1 otherwise (the reason is printed), 2 on a bad flag.
 *
 *   node deploy/dist/cli/create-topics.js [--file topics.yaml]... [--timeout-ms 120000]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DeployError } from '../errors/deploy-error';

const USAGE = `Usage: create-topics [--file FILE]... [--timeout-ms N]

Creates every topic of the topics files on the cluster named by KAFKA_BROKERS (TLS and SASL from
KAFKA_SSL / KAFKA_SASL_*), waiting for the cluster to come up.

  --file <path>       a topics file; repeat for several (default deploy/topics.yaml)
  --timeout-ms <n>    how long to wait for the cluster (default 120000)
  -h, --help          show this help
`;

interface Args {
  files: string[];
  timeoutMs: number;
}

function usage(problem: string): never {
  process.stderr.write(`create-topics: ${problem}\n\n${USAGE}`);
  process.exit(2);
}

/** The flags (strict: an unknown flag or a missing value exits 2 naming it); `--help` exits 0. */
function parseFlags(argv: string[]): Args {
  let values: { file?: string[]; 'timeout-ms'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        file: { type: 'string', multiple: true },
        'timeout-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    usage((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const timeout = values['timeout-ms'];
  if (timeout !== undefined && !/^\d+$/.test(timeout))
    usage(`--timeout-ms must be a whole number of milliseconds, got "${timeout}"`);
  const files = values.file?.length ? values.file : [path.resolve(__dirname, '../../topics.yaml')];
  return { files, timeoutMs: timeout === undefined ? 120_000 : Number(timeout) };
}

async function main(): Promise<void> {
  const args = parseFlags(process.argv.slice(2));
  // Loaded once the flags are checked: `--help` and a bad flag answer without loading Kafka.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { Kafka, logLevel } = require('kafkajs') as typeof import('kafkajs');
  const { kafkaConfigFromEnv } = require('../kafka/kafka-env') as typeof import('../kafka/kafka-env');
  const { ensureTopics } = require('../topics/ensure-topics') as typeof import('../topics/ensure-topics');
  const { loadTopicsFile, mergeTopicSpecs } =
    require('../topics/topics-file') as typeof import('../topics/topics-file');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const specs = mergeTopicSpecs(args.files.map((f) => loadTopicsFile(f)));
  const kafka = new Kafka({
    ...kafkaConfigFromEnv(process.env, 'gmart-create-topics'),
    logLevel: logLevel.NOTHING,
    retry: { retries: 3 },
  });
  const deadline = Date.now() + args.timeoutMs;
  for (let attempt = 1; ; attempt++) {
    const admin = kafka.admin();
    try {
      await admin.connect();
      const report = await ensureTopics(admin, specs);
      console.log(
        `create-topics: ${report.created.length} created, ${report.existing.length} already present`,
      );
      for (const t of report.created) console.log(`  created ${t}`);
      for (const f of report.fewerPartitions) {
        console.warn(
          `  warning: ${f.topic} has ${f.actual} partitions, topics file asks for ${f.requested} (left unchanged)`,
        );
      }
      return;
    } catch (err) {
      const retriable = !(err instanceof DeployError) || err.retriable;
      if (!retriable || Date.now() >= deadline) throw err;
      console.warn(`create-topics: attempt ${attempt} failed (${(err as Error).message}); retrying`);
      await new Promise((r) => setTimeout(r, 2000));
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}

main().catch((err: unknown) => {
  console.error(`create-topics: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
