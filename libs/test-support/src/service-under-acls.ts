import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { Kafka } from 'kafkajs';
import { consume } from './consume';
import { captureOutput } from './output-capture';
import { expectRefusedAtStart } from './refused-at-start';
import { type SecuredBroker, aclBlockOf, startSecuredBroker } from './secured-broker';
import { tempDir } from './temp-dirs';
import { produce, type TopicSpec } from './topics';

/** The processing guarantees a service runs under (`PROCESSING_GUARANTEE`). */
export type ProcessingGuarantee = 'at_least_once' | 'exactly_once_v2';

/** What {@link describeServiceUnderAcls} passes to the service's bootstrap function. */
export interface ServiceBootstrapOptions<M, C> {
  readonly module: M;
  readonly config: C;
  readonly env: Record<string, string>;
  readonly handleSignals: false;
  readonly logDestination: Writable;
}

/** A G-Mart service, in-process, as a principal holding exactly the ACLs of its README. */
export interface ServiceUnderAcls<M, C> {
  /** The service's principal (`User:<user>`) and name; its dead-letter topic is `gmart-<user>-dlq`. */
  readonly user: string;
  /** The README whose "## Kafka ACLs" block the principal gets, no more. */
  readonly readme: string;
  /** Topics created beforehand by the admin, as `create-topics` does (the DLQ included). */
  readonly topics: readonly TopicSpec[];
  /** The service's Nest module and config definition. */
  readonly module: M;
  readonly config: C;
  /** `bootstrapStreamsService` of `@gmart/nest-streams` (passed in: this package does not depend on it). */
  readonly bootstrap: (options: ServiceBootstrapOptions<M, C>) => Promise<{ close(): Promise<unknown> }>;
  /** The topic a malformed record is written to; the service must dead-letter it. */
  readonly input: string;
  /** The guarantees to run under (default both). */
  readonly guarantees?: readonly ProcessingGuarantee[];
  /** What the service does, for the test title ("masks purchases"). */
  readonly does: string;
  /** Writes the service's input with the admin client and checks its output. */
  readonly exercise: (admin: Kafka, guarantee: ProcessingGuarantee) => Promise<void>;
}

/** The high watermarks of `topic`, summed over its partitions. */
async function endOffsets(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Declares the tests of a service against a broker with SASL/SCRAM over TLS (the CA in a file, as
 * the Helm chart mounts it) and ACLs on, its principal granted exactly its README's ACL block:
 * under each guarantee it does its work (`exercise`) and dead-letters a malformed record, the
 * broker denies it nothing and its log holds no password; a wrong password and an untrusted
 * broker certificate each stop it at start with an error naming the cause, never a password.
 */
export function describeServiceUnderAcls<M, C>(spec: ServiceUnderAcls<M, C>): void {
  const { user } = spec;
  const dlqTopic = `gmart-${user}-dlq`;
  describe(`${user} with exactly the README ACLs (SASL/SCRAM over TLS, ACLs on)`, () => {
    let secured: SecuredBroker;
    const dir = tempDir(`${user}-acls`);
    const logs = captureOutput();
    const start = (env: Record<string, string>, guarantee: ProcessingGuarantee = 'at_least_once') =>
      spec.bootstrap({
        module: spec.module,
        config: spec.config,
        env: {
          ...env,
          HTTP_PORT: '0',
          HTTP_HOST: '127.0.0.1',
          STATE_DIR: join(dir, guarantee),
          COMMIT_INTERVAL_MS: '200',
          PROCESSING_GUARANTEE: guarantee,
        },
        handleSignals: false,
        logDestination: logs.destination,
      });

    beforeAll(async () => {
      secured = await startSecuredBroker({
        users: { [user]: `${user}-Secret-7c3f` },
        acls: aclBlockOf(spec.readme),
        topics: spec.topics,
      });
    });
    afterAll(async () => {
      await secured?.stop();
    });

    it.each([...(spec.guarantees ?? ['at_least_once', 'exactly_once_v2'])])(
      `${spec.does} and dead-letters a malformed record under %s; the broker denies it nothing`,
      async (guarantee) => {
        const dlqBefore = await endOffsets(secured.admin, dlqTopic);
        let service: { close(): Promise<unknown> } | undefined;
        try {
          service = await start(secured.env(user), guarantee);
          await spec.exercise(secured.admin, guarantee);
          await produce(secured.admin, spec.input, [{ key: 'bad', value: '{"not":"valid"' }]);
          const dlq = await consume(secured.admin, dlqTopic, dlqBefore + 1);
          expect(dlq[dlq.length - 1]!.key!.toString()).toBe('bad');
        } finally {
          await service?.close();
        }
        expect(secured.denials(user)).toEqual([]);
        for (const password of secured.passwords) expect(logs.text()).not.toContain(password);
      },
    );

    it('stops at start on a wrong password or an untrusted broker certificate, naming the cause', async () => {
      await expectRefusedAtStart(secured, user, (env) => start(env), logs.text);
    });
  });
}

/**
 * The records `topic` gains while `write` runs, read back with the admin client (at least
 * `count`), for a service's output.
 */
export async function recordsAfter(
  kafka: Kafka,
  topic: string,
  count: number,
  write: () => Promise<void>,
): Promise<Awaited<ReturnType<typeof consume>>> {
  const before = await endOffsets(kafka, topic);
  await write();
  return (await consume(kafka, topic, before + count)).slice(-count);
}
