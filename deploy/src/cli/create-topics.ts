/**
 * `create-topics`: creates every topic listed in one or more topics files (default: deploy/topics.yaml)
 * on the cluster named by KAFKA_BROKERS, waiting for the cluster to come up (`--timeout-ms`, default 120000).
 * Used by the compose `topic-init` job, the Helm pre-install/pre-upgrade Job and `npm start`.
 * Exit code 0 when every topic exists, 1 otherwise (the reason is printed).
 *
 *   node deploy/dist/cli/create-topics.js [--file topics.yaml]... [--timeout-ms 120000]
 */
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { DeployError, TopicsConfigError } from '../errors/deploy-error';
import { kafkaConfigFromEnv } from '../kafka/kafka-env';
import { ensureTopics } from '../topics/ensure-topics';
import { loadTopicsFile, mergeTopicSpecs } from '../topics/topics-file';

interface Args {
  files: string[];
  timeoutMs: number;
}

function parseArgs(argv: string[]): Args {
  const files: string[] = [];
  let timeoutMs = 120_000;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--file' && value) {
      files.push(value);
      i++;
    } else if (arg === '--timeout-ms' && value && /^\d+$/.test(value)) {
      timeoutMs = Number(value);
      i++;
    } else {
      throw new TopicsConfigError(
        `unknown or incomplete argument "${arg}" (usage: create-topics [--file FILE]... [--timeout-ms N])`,
      );
    }
  }
  if (files.length === 0) files.push(path.resolve(__dirname, '../../topics.yaml'));
  return { files, timeoutMs };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
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
