/**
 * `consumer-groups`: `kafka-consumer-groups.sh --list` and `--describe` for people without Kafka's
 * JVM scripts, against the embedded broker or Apache Kafka alike (TLS and SASL from the services'
 * KAFKA_SSL / KAFKA_SASL_* variables).
 *
 *   npm run consumer-groups -- --bootstrap-server localhost:9092 --list
 *   npm run consumer-groups -- --bootstrap-server localhost:9092 --describe --group gmart-rewards
 *
 * Exit code 0 on success, 1 when the cluster cannot be reached or the group does not exist, 2 on a
 * usage error.
 */
import { parseArgs } from 'node:util';

const USAGE = `Usage: npm run consumer-groups -- --bootstrap-server HOST:PORT (--list | --describe --group GROUP)
  --list                      the consumer groups, one per line
  --describe --group GROUP    GROUP, TOPIC, PARTITION, CURRENT-OFFSET, LOG-END-OFFSET, LAG, CONSUMER-ID, HOST, CLIENT-ID
  -h, --help                  show this help
TLS and SASL from KAFKA_SSL, KAFKA_SSL_CA_FILE, KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD.
`;

function usage(problem: string): never {
  process.stderr.write(`consumer-groups: ${problem}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      allowPositionals: false,
      options: {
        'bootstrap-server': { type: 'string' },
        list: { type: 'boolean' },
        describe: { type: 'boolean' },
        group: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    usage((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const server = values['bootstrap-server'] as string | undefined;
  if (!server) usage('--bootstrap-server is required');
  if (Boolean(values.list) === Boolean(values.describe)) usage('give exactly one of --list or --describe');
  const group = values.group as string | undefined;
  if (values.describe && !group) usage('--describe needs --group GROUP');
  // Loaded once the flags are checked: `--help` and a bad flag answer without loading Kafka.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { Kafka, logLevel } = require('kafkajs') as typeof import('kafkajs');
  const { describeConsumerGroup, formatConsumerGroup } =
    require('../consumer-groups/consumer-group-description') as typeof import('../consumer-groups/consumer-group-description');
  const { kafkaConfigFromEnv } = require('../kafka/kafka-env') as typeof import('../kafka/kafka-env');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const kafka = new Kafka({
    ...kafkaConfigFromEnv({ ...process.env, KAFKA_BROKERS: server }, 'gmart-consumer-groups'),
    logLevel: logLevel.NOTHING,
    retry: { retries: 2 },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (values.list) {
      const { groups } = await admin.listGroups();
      for (const g of groups.map((x) => x.groupId).sort()) process.stdout.write(`${g}\n`);
      return 0;
    }
    const d = await describeConsumerGroup(admin, group!);
    const text = formatConsumerGroup(d);
    if (text.startsWith('Error:')) {
      process.stderr.write(text);
      return 1;
    }
    process.stdout.write(text);
    return 0;
  } finally {
    await admin.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`consumer-groups: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
