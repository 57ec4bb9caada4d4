import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { cardNumberRedactor } from '@gmart/gmart';
import type { EmbeddedMongo } from '@gmart/embedded-mongo';
import type { Kafka } from 'kafkajs';
import { MongoClient } from 'mongodb';
import {
  type SecuredBroker,
  aclBlockOf,
  expectRefusedAtStart,
  produce,
  startMongo,
  startSecuredBroker,
  tempDir,
  waitFor,
} from '@gmart/test-support';
import { withMongoSecretsRedacted } from '../src/mongo-credentials';
import { json, maskedPurchases } from './helpers';

jest.setTimeout(180_000);

const PASSWORD = 'st0rage-Pw/with@odd:chars';
const WRONG = 'wr0ng-Pw-9c2e';
const KAFKA_PASSWORD = 'storage-Kafka-2';

interface Svc {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly lines: () => Array<Record<string, unknown>>;
  readonly exit: Promise<number | null>;
}

/**
 * The storage service as a process (`src/main.ts`) against an embedded MongoDB with SCRAM-SHA-256
 * users, and an embedded broker with SASL/SCRAM over TLS (CA from a file) and ACLs on where its Kafka principal holds exactly
 * the ACLs of its README: it stores purchases with `mongodb://storage:<password>@.../?authSource=admin`; with a wrong
 * password, or none, it stops at start naming the cause and the user, never the password; no log
 * line, `/health` answer or `/metrics` output holds the password.
 */
describe('storage service with MongoDB credentials', () => {
  let secured: SecuredBroker;
  let kafka: Kafka;
  let mongo: EmbeddedMongo;
  const children: ChildProcess[] = [];

  function spawnStorage(mongodbUri: string, kafkaEnv = secured.env('storage')): Svc {
    const child = spawn(
      process.execPath,
      ['--conditions=@gmart/source', '-r', '@swc-node/register', 'src/main.ts'],
      {
        cwd: path.join(__dirname, '..'),
        env: {
          PATH: process.env.PATH,
          ...kafkaEnv,
          HTTP_PORT: '0',
          HTTP_HOST: '127.0.0.1',
          LOG_LEVEL: 'debug',
          STATE_DIR: tempDir('storage-auth-state'),
          COMMIT_INTERVAL_MS: '500',
          MONGODB_URI: mongodbUri,
          MONGODB_UNAVAILABLE_BUDGET_MS: '60000',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    let all = '';
    child.stdout!.on('data', (d: Buffer) => (all += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (all += d.toString()));
    const lines = () =>
      all
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, output: () => all, lines, exit };
  }

  beforeAll(async () => {
    secured = await startSecuredBroker({
      users: { storage: KAFKA_PASSWORD },
      acls: aclBlockOf(path.join(__dirname, '..', 'README.md')),
      mechanism: 'scram-sha-256',
      topics: [{ topic: 'purchases', numPartitions: 2 }, { topic: 'gmart-storage-dlq' }],
    });
    kafka = secured.admin;
    mongo = await startMongo(undefined, 0, { auth: { users: { storage: PASSWORD } } });
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await mongo?.stop();
    await secured?.stop();
  });

  it('stores purchases with credentials in MONGODB_URI; no password in logs, /health or /metrics', async () => {
    const svc = spawnStorage(mongo.uriFor('storage', PASSWORD, 'secured'));
    const purchases = maskedPurchases(120, 11, 0.05);
    await produce(
      kafka,
      'purchases',
      purchases.map((p) => ({ key: p.customerId, value: json(p) })),
    );
    const client = new MongoClient(mongo.uriFor('storage', PASSWORD));
    try {
      const expected = purchases.filter((p) => p.price > 5).length;
      await waitFor(
        async () => {
          if (svc.child.exitCode !== null) throw new Error(`storage exited: ${svc.output()}`);
          return (await client.db('secured').collection('purchases').countDocuments()) === expected;
        },
        120_000,
        'purchases stored with credentials',
      );
    } finally {
      await client.close();
    }
    const started = svc.lines().find((l) => l.msg === 'service started');
    const url = String(started!.url);
    const answers = await Promise.all(
      ['/health/live', '/health/ready', '/metrics'].map(async (p) => (await fetch(`${url}${p}`)).text()),
    );
    svc.child.kill('SIGTERM');
    expect(await svc.exit).toBe(0);
    expect(svc.lines().some((l) => l.msg === 'MongoDB reachable')).toBe(true);
    // The Kafka principal had exactly the README's ACLs, and needed nothing more.
    expect(secured.denials('storage')).toEqual([]);
    for (const text of [svc.output(), ...answers]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(encodeURIComponent(PASSWORD));
      for (const password of secured.passwords) expect(text).not.toContain(password);
    }
  });

  it.each([
    [
      'a wrong password',
      () => mongo.uriFor('storage', WRONG),
      /MongoDB refused the credentials of MONGODB_URI \(AuthenticationFailed, user "storage", authSource "admin"\)/,
    ],
    [
      'no credentials',
      () => `${mongo.uri}/secured`,
      /MongoDB requires authentication but MONGODB_URI has no user and password \(Unauthorized/,
    ],
  ])('stops at start with %s, naming the cause and never a password', async (_what, uri, why) => {
    const started = Date.now();
    const svc = spawnStorage(uri());
    expect(await svc.exit).toBe(1);
    // At once, not after MONGODB_UNAVAILABLE_BUDGET_MS (60 s): retrying cannot fix credentials.
    expect(Date.now() - started).toBeLessThan(45_000);
    const fatal = svc.lines().find((l) => l.level === 'fatal');
    expect(String(fatal?.msg)).toMatch(why);
    expect(svc.lines().some((l) => l.msg === 'MongoDB not reachable yet; retrying')).toBe(false);
    for (const secret of [PASSWORD, WRONG, encodeURIComponent(PASSWORD), encodeURIComponent(WRONG)])
      expect(svc.output()).not.toContain(secret);
  });

  it('stops at start on a wrong Kafka password or an untrusted broker certificate, naming the cause', async () => {
    const exits: (number | null)[] = [];
    await expectRefusedAtStart(secured, 'storage', async (env) => {
      const svc = spawnStorage(mongo.uriFor('storage', PASSWORD, 'secured'), env);
      exits.push(await svc.exit);
      throw new Error(svc.output());
    });
    expect(exits).toEqual([1, 1]);
  });

  it('redacts the MONGODB_URI password from any log text, encoded or not, and card numbers still', () => {
    const uri = `mongodb://storage:${encodeURIComponent(PASSWORD)}@db:27017/?authSource=admin`;
    const r = withMongoSecretsRedacted(cardNumberRedactor, uri);
    const line = r.redactText(
      `connecting to ${uri} with ${PASSWORD}; other mongodb://u:p@h; card 4111 1111 1111 1111`,
    );
    expect(line).not.toContain(PASSWORD);
    expect(line).not.toContain(encodeURIComponent(PASSWORD));
    expect(line).toContain('mongodb://storage:[redacted]@db:27017');
    expect(line).toContain('mongodb://u:[redacted]@h');
    expect(line).toContain('xxxx xxxx xxxx 1111');
    expect(withMongoSecretsRedacted(cardNumberRedactor, undefined).redactText('plain text')).toBe(
      'plain text',
    );
  });
});
