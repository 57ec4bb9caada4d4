import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmbeddedKafka } from '@gmart/embedded-kafka';
import { createTestCertificates, type TestCertificates } from '@gmart/embedded-kafka/test-certificates';
import { parseKafkaConnection, toKafkaJsConnection } from '@gmart/kafka-connection';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker } from './embedded-broker';
import { tempDir } from './temp-dirs';
import { createTopics, type TopicSpec } from './topics';

/** The SCRAM mechanisms a secured broker's clients use. */
export type ScramMechanism = 'scram-sha-256' | 'scram-sha-512';

/** Options of {@link startSecuredBroker}. */
export interface SecuredBrokerOptions {
  /** Principals (`User:<name>`) and their passwords; a super user `admin` is added. */
  readonly users: Readonly<Record<string, string>>;
  /** ACL rules in the embedded broker's file format (`libs/embedded-kafka/README.md`, ACLs). */
  readonly acls: readonly string[];
  /** Topics the admin creates before the test (auto-creation is off). */
  readonly topics?: readonly TopicSpec[];
  /** SASL mechanism of {@link SecuredBroker.env} and of the admin client (default `scram-sha-512`). */
  readonly mechanism?: ScramMechanism;
}

/**
 * A broker with SASL/SCRAM over TLS (`SASL_SSL`) and ACLs on, as the Helm chart's clients meet a
 * production cluster: a fresh CA signed its certificate, the CA is in a file.
 */
export interface SecuredBroker {
  readonly broker: EmbeddedKafka;
  /** A kafkajs client of the super user `admin`, for the test's own writes and reads. */
  readonly admin: Kafka;
  readonly certs: TestCertificates;
  /** PEM file of the CA that signed the broker's certificate (`KAFKA_SSL_CA_FILE`). */
  readonly caFile: string;
  /** PEM file of a certificate that did not sign the broker's: a client trusting only it refuses the broker. */
  readonly untrustedCaFile: string;
  /** Every password the broker knows (the admin's included), to scan output for. */
  readonly passwords: readonly string[];
  /**
   * The connection variables of `user` as the chart sets them (`KAFKA_BROKERS`, `KAFKA_SSL=true`,
   * `KAFKA_SSL_CA_FILE`, `KAFKA_SASL_MECHANISM`, `KAFKA_SASL_USERNAME`, `KAFKA_SASL_PASSWORD`),
   * with `overrides` on top.
   */
  env(user: string, overrides?: Readonly<Record<string, string>>): Record<string, string>;
  /** The denials the broker logged for `User:<user>` so far (Kafka's "is Denied" lines). */
  denials(user: string): string[];
  stop(): Promise<void>;
}

/** The admin's password on every secured broker. */
const ADMIN_PASSWORD = 'admin-Secret-0a1b';

/**
 * Starts an embedded broker with SASL/SCRAM over TLS and ACLs (`admin` a super user), creates
 * `topics` as the admin, and returns the connection variables of each principal.
 *
 * @example
 * const secured = await startSecuredBroker({ users: { masking: 'pw' }, acls: aclBlockOf(readme), topics });
 * await bootstrapStreamsService({ ..., env: { ...secured.env('masking'), HTTP_PORT: '0' } });
 * expect(secured.denials('masking')).toEqual([]);
 */
export async function startSecuredBroker(options: SecuredBrokerOptions): Promise<SecuredBroker> {
  const mechanism = options.mechanism ?? 'scram-sha-512';
  const users: Readonly<Record<string, string>> = { ...options.users, admin: ADMIN_PASSWORD };
  const certs = await createTestCertificates();
  const dir = tempDir('secured-broker');
  const caFile = join(dir, 'ca.pem');
  const untrustedCaFile = join(dir, 'untrusted-ca.pem');
  writeFileSync(caFile, certs.ca.cert);
  writeFileSync(untrustedCaFile, certs.untrustedServer.cert);
  const log: string[] = [];
  const keep = (m: string) => void log.push(m);
  const { broker } = await startBroker({
    advertisedHost: 'localhost',
    autoCreateTopics: false,
    tls: { cert: certs.server.cert, key: certs.server.key },
    sasl: { users },
    acls: { rules: [...options.acls], superUsers: ['User:admin'] },
    logger: { info: keep, warn: keep, error: keep },
  });
  const env = (user: string, overrides: Readonly<Record<string, string>> = {}) => {
    const password = users[user];
    if (password === undefined) throw new Error(`the secured broker has no user "${user}"`);
    return {
      KAFKA_BROKERS: broker.bootstrapServers,
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: caFile,
      KAFKA_SASL_MECHANISM: mechanism,
      KAFKA_SASL_USERNAME: user,
      KAFKA_SASL_PASSWORD: password,
      ...overrides,
    };
  };
  const admin = new Kafka({
    clientId: 'secured-admin',
    ...toKafkaJsConnection(parseKafkaConnection(env('admin'))),
    logLevel: logLevel.NOTHING,
  });
  try {
    if (options.topics?.length) await createTopics(admin, options.topics);
  } catch (err) {
    await broker.stop();
    throw err;
  }
  return {
    broker,
    admin,
    certs,
    caFile,
    untrustedCaFile,
    passwords: Object.values(users),
    env,
    denials: (user) => log.filter((l) => l.includes(`Principal = User:${user} is Denied`)),
    stop: () => broker.stop(),
  };
}

/**
 * The rules of the ACL block (the first ```text block) under `heading` in a markdown file: what
 * a README says a principal needs, so a test grants exactly that.
 */
export function aclBlockOf(markdownFile: string, heading = '## Kafka ACLs'): string[] {
  const text = readFileSync(markdownFile, 'utf8');
  const at = text.indexOf(heading);
  const block = at < 0 ? undefined : /```text\n([\s\S]*?)```/.exec(text.slice(at))?.[1];
  if (!block) throw new Error(`${markdownFile} has no ACL block under "${heading}"`);
  return block
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l.length > 0);
}
