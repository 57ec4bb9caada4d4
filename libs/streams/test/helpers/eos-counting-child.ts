/**
 * A stateful counting app run as a child process by the exactly-once tests:
 * `eos-counting-child.ts <brokers> <appId> <in> <out> <stateDir> <guarantee> <clientId>`.
 * Per input record it emits `<key> -> <count after it>` (no cache, so every update goes out).
 * Prints "RUNNING" on each RUNNING state; closes on SIGTERM. `COMMIT_INTERVAL_MS` in the environment
 * sets the commit interval, `KAFKA_CLIENT` the client (default kafkajs); `REPARTITION=1` counts after a
 * repartition topic (two sub-topologies: the input's task writes it, the counting task reads it).
 * `LINGER_MS` the record collector's linger. `EOS_DEBUG=1` writes the runtime's warnings on stderr (timestamped), `EOS_DEBUG=2` also its info
 * lines (assignments, restores with their offsets), for diagnosing a failed run from `ChildApp.err`.
 */
import {
  Consumed,
  KafkaStreams,
  type KafkaClientName,
  Materialized,
  Produced,
  Repartitioned,
  Serdes,
  StreamsBuilder,
} from '../../src';
import { runChildStreams } from './child-main';

const [brokers, applicationId, input, output, stateDir, guarantee, clientId] = process.argv.slice(2);
const S = Serdes.String();
const builder = new StreamsBuilder();
const source = builder.stream(input, Consumed.with(S, S));
(process.env.REPARTITION === '1' ? source.repartition(Repartitioned.with(S, S)) : source)
  .groupByKey()
  .count(Materialized.as('counts'))
  .toStream()
  .mapValues((n) => String(n))
  .to(output, Produced.with(S, S));
const streams = new KafkaStreams(builder.build(), {
  applicationId,
  clientId,
  bootstrapServers: brokers.split(','),
  stateDir,
  processingGuarantee: guarantee as 'at_least_once' | 'exactly_once_v2',
  // KAFKA_CLIENT: the client the instance runs on (default kafkajs).
  kafkaClient: (process.env.KAFKA_CLIENT ?? 'kafkajs') as KafkaClientName,
  cacheMaxBytesBuffering: 0,
  // COMMIT_INTERVAL_MS (bench:eos-kill-loop) overrides the guarantee's default commit interval.
  ...(process.env.COMMIT_INTERVAL_MS ? { commitIntervalMs: Number(process.env.COMMIT_INTERVAL_MS) } : {}),
  // LINGER_MS overrides the record collector's linger (producerLingerMs) under the guarantee.
  ...(process.env.LINGER_MS ? { producerLingerMs: Number(process.env.LINGER_MS) } : {}),
  // The transaction timeout stays below the session timeout (see the README's exactly-once section).
  // SESSION_TIMEOUT_MS / TRANSACTION_TIMEOUT_MS (bench:eos-kill-loop on a loaded machine) widen them.
  consumer: {
    sessionTimeout: Number(process.env.SESSION_TIMEOUT_MS ?? 3000),
    rebalanceTimeout: 10000,
    heartbeatInterval: 300,
    maxWaitTimeInMs: 100,
  },
  producer: { transactionTimeout: Number(process.env.TRANSACTION_TIMEOUT_MS ?? 2000) },
  logger: {
    debug() {},
    info: (m: string, meta?: unknown) =>
      process.env.EOS_DEBUG === '2' &&
      process.stderr.write(`${new Date().toISOString()} ${clientId} ${m} ${JSON.stringify(meta)}\n`),
    warn: (m: string, meta?: { error?: unknown }) =>
      process.env.EOS_DEBUG &&
      process.stderr.write(`${new Date().toISOString()} ${m}${describe(meta?.error)}\n`),
    error: (m: string, meta?: { error?: unknown }) =>
      process.stderr.write(
        `${new Date().toISOString()} ${m}${meta?.error instanceof Error ? describe(meta.error) : ` ${JSON.stringify(meta)}`}\n`,
      ),
  },
});
/** An error's name and message with its causes' (`: Name: message <- Cause: message`), for a failed run's stderr. */
function describe(error: unknown): string {
  const parts: string[] = [];
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const type = (e as { type?: unknown; apiId?: unknown }).type ?? (e as { apiId?: unknown }).apiId;
    parts.push(`${e.name}${typeof type === 'string' ? `[${type}]` : ''}: ${e.message}`);
  }
  return parts.length ? `: ${parts.join(' <- ')}` : '';
}
streams.setStateListener((s) => {
  if (s === 'RUNNING') process.stdout.write('RUNNING\n');
});
runChildStreams(streams, 10000);
