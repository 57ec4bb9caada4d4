import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { EmbeddedKafka } from '../../src';
import { ErrorCode } from '../../src/protocol/error-codes';
import { memoryLogger } from '../helpers/broker';
import { RawClient } from '../helpers/raw-client';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const USERS = { alice: 'alice-secret', bob: 'bob=,secret' };

function client(bootstrap: string, sasl: SASLOptions): Kafka {
  return new Kafka({
    brokers: [bootstrap],
    clientId: 'sasl-test',
    sasl,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  });
}

/** Reads a SaslHandshake response body. */
function handshake(d: { readInt16(): number; readArray<T>(f: () => T): T[]; readString(): string }) {
  const errorCode = d.readInt16();
  return { errorCode, mechanisms: d.readArray(() => d.readString()) };
}

describe('SASL listener (SASL_PLAINTEXT)', () => {
  let broker: EmbeddedKafka;
  const log = memoryLogger();

  beforeAll(async () => {
    broker = await EmbeddedKafka.start({
      port: 0,
      groupInitialRebalanceDelayMs: 0,
      sasl: { users: USERS },
      logger: log.logger,
    });
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('says SASL_PLAINTEXT', () => {
    expect(broker.securityProtocol).toBe('SASL_PLAINTEXT');
  });

  it.each([
    ['plain', 'alice'],
    ['scram-sha-256', 'alice'],
    ['scram-sha-512', 'alice'],
    // A user name and password with SCRAM's escaped characters (',' and '=').
    ['scram-sha-256', 'bob'],
  ] as const)(
    'authenticates kafkajs with %s as %s, then serves produce and consume',
    async (mechanism, user) => {
      const kafka = client(broker.bootstrapServers, {
        mechanism,
        username: user,
        password: USERS[user],
      } as SASLOptions);
      const topic = `sasl-${mechanism}-${user}`;
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
      await admin.disconnect();
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic, messages: [{ key: 'k', value: `hello ${mechanism}` }] });
      await producer.disconnect();
      const consumer = kafka.consumer({ groupId: `g-${topic}` });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const got = await new Promise<string>((resolve) => {
        void consumer.run({ eachMessage: async ({ message }) => resolve(message.value!.toString()) });
      });
      await consumer.disconnect();
      expect(got).toBe(`hello ${mechanism}`);
    },
  );

  it.each([
    ['plain', 'alice', 'wrong', /Authentication failed: Invalid username or password/],
    ['plain', 'mallory', 'x', /Authentication failed: Invalid username or password/],
    ['scram-sha-256', 'alice', 'wrong', /invalid credentials with SASL mechanism SCRAM-SHA-256/],
    ['scram-sha-512', 'mallory', 'x', /invalid credentials with SASL mechanism SCRAM-SHA-512/],
  ] as const)(
    'refuses %s for %s with a wrong password or unknown user',
    async (mechanism, username, password, why) => {
      const admin = client(broker.bootstrapServers, { mechanism, username, password } as SASLOptions).admin();
      const err = await admin.connect().then(
        () => undefined,
        (e: Error) => e,
      );
      await admin.disconnect();
      expect(err?.name).toBe('KafkaJSSASLAuthenticationError');
      expect(err?.message).toMatch(why);
      expect(err?.message).not.toContain(password);
      expect(log.lines.join('\n')).not.toContain('alice-secret');
    },
  );

  it('answers SaslHandshake with the mechanisms, and an unknown one with UNSUPPORTED_SASL_MECHANISM', async () => {
    const c = await RawClient.connect(broker.bootstrapServers);
    const r = handshake(await c.request(17, 1, (e) => e.writeString('GSSAPI')));
    expect(r).toEqual({
      errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM,
      mechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'],
    });
    await c.closed;
  });

  it('answers a PLAIN failure with SASL_AUTHENTICATION_FAILED (58), then closes the connection', async () => {
    const c = await RawClient.connect(broker.bootstrapServers);
    expect(handshake(await c.request(17, 1, (e) => e.writeString('PLAIN'))).errorCode).toBe(ErrorCode.NONE);
    const d = await c.request(36, 1, (e) => e.writeBytes(Buffer.from('\u0000alice\u0000nope')));
    expect(d.readInt16()).toBe(58);
    expect(d.readNullableString()).toBe('Authentication failed: Invalid username or password');
    await c.closed;
  });

  it('authenticates PLAIN over raw SaslAuthenticate v2 (flexible) and then serves Metadata', async () => {
    const c = await RawClient.connect(broker.bootstrapServers);
    expect(handshake(await c.request(17, 1, (e) => e.writeString('PLAIN'))).errorCode).toBe(ErrorCode.NONE);
    const d = await c.request(
      36,
      2,
      (e) => e.writeCompactBytes(Buffer.from('alice\u0000alice\u0000alice-secret')).writeTaggedFields(),
      {
        flexible: true,
      },
    );
    expect(d.readInt16()).toBe(ErrorCode.NONE);
    expect(d.readCompactNullableString()).toBeNull();
    const metadata = await c.request(3, 1, (e) => e.writeInt32(-1));
    expect(
      metadata.readArray(() => [
        metadata.readInt32(),
        metadata.readString(),
        metadata.readInt32(),
        metadata.readNullableString(),
      ])[0]![0],
    ).toBe(1);
    c.socket.destroy();
  });

  it('closes a connection that sends another request before authenticating (ILLEGAL_SASL_STATE)', async () => {
    const c = await RawClient.connect(broker.bootstrapServers);
    await expect(c.request(3, 1, (e) => e.writeInt32(-1))).rejects.toThrow(/closed/);
    expect(
      log.lines.some((l) => /Metadata request before SASL authentication \(ILLEGAL_SASL_STATE\)/.test(l)),
    ).toBe(true);
  });

  it('answers SaslAuthenticate without a handshake with ILLEGAL_SASL_STATE', async () => {
    const c = await RawClient.connect(broker.bootstrapServers);
    const d = await c.request(36, 1, (e) => e.writeBytes(Buffer.from('x')));
    expect(d.readInt16()).toBe(ErrorCode.ILLEGAL_SASL_STATE);
    await c.closed;
  });

  it.each([
    ['no GS2 header', 'garbage'],
    ['channel binding', 'p=tls-unique,,n=alice,r=abc'],
    ['bad name escape', 'n,,n=al=ice,r=abc'],
    ['missing nonce', 'n,,n=alice'],
    ['binary noise', '\u0000\u00ff\u0001,,,,==='],
  ])('refuses a malformed SCRAM client-first message (%s) without crashing', async (_name, token) => {
    const c = await RawClient.connect(broker.bootstrapServers);
    expect(handshake(await c.request(17, 1, (e) => e.writeString('SCRAM-SHA-256'))).errorCode).toBe(
      ErrorCode.NONE,
    );
    const d = await c.request(36, 1, (e) => e.writeBytes(Buffer.from(token, 'latin1')));
    expect(d.readInt16()).toBe(58);
    await c.closed;
  });

  it('refuses a SCRAM client-final message with a wrong nonce or a forged proof', async () => {
    for (const final of [
      (nonce: string) => `c=biws,r=${nonce}x,p=AAAA`,
      (nonce: string) => `c=biws,r=${nonce.slice(1)},p=AAAA`,
      (nonce: string) => `c=biws,r=${nonce},p=${Buffer.alloc(32, 7).toString('base64')}`,
      (nonce: string) => `c=eSws,r=${nonce},p=AAAA`,
    ]) {
      const c = await RawClient.connect(broker.bootstrapServers);
      expect(handshake(await c.request(17, 1, (e) => e.writeString('SCRAM-SHA-256'))).errorCode).toBe(
        ErrorCode.NONE,
      );
      const first = await c.request(36, 1, (e) => e.writeBytes(Buffer.from('n,,n=alice,r=clientnonce')));
      expect(first.readInt16()).toBe(ErrorCode.NONE);
      first.readNullableString();
      const serverFirst = first.readBytes().toString();
      const nonce = /^r=([^,]+),s=[^,]+,i=4096$/.exec(serverFirst)![1]!;
      expect(nonce.startsWith('clientnonce')).toBe(true);
      const d = await c.request(36, 1, (e) => e.writeBytes(Buffer.from(final(nonce))));
      expect(d.readInt16()).toBe(58);
      await c.closed;
    }
    // The broker still authenticates a good client afterwards.
    const admin = client(broker.bootstrapServers, {
      mechanism: 'scram-sha-256',
      username: 'alice',
      password: 'alice-secret',
    }).admin();
    await admin.connect();
    expect(Array.isArray(await admin.listTopics())).toBe(true);
    await admin.disconnect();
  });
});

describe('SASL options', () => {
  it('serves only the enabled mechanisms', async () => {
    const broker = await EmbeddedKafka.start({
      port: 0,
      sasl: { mechanisms: ['SCRAM-SHA-512'], users: USERS },
    });
    try {
      const admin = client(broker.bootstrapServers, {
        mechanism: 'plain',
        username: 'alice',
        password: 'alice-secret',
      }).admin();
      await expect(admin.connect()).rejects.toThrow(/PLAIN|mechanism/i);
      await admin.disconnect();
      const ok = client(broker.bootstrapServers, {
        mechanism: 'scram-sha-512',
        username: 'alice',
        password: 'alice-secret',
      }).admin();
      await ok.connect();
      await ok.disconnect();
    } finally {
      await broker.stop();
    }
  });

  it.each([
    [{ users: {} }, /sasl.users must hold at least one user/],
    [{ users: { a: '' } }, /password of a is empty/],
    [
      { users: { a: 'b' }, mechanisms: ['GSSAPI'] },
      /GSSAPI is not one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512/,
    ],
  ])('refuses bad SASL options %j naming the option', async (sasl, why) => {
    await expect(EmbeddedKafka.start({ port: 0, sasl: sasl as never })).rejects.toThrow(why);
  });
});
