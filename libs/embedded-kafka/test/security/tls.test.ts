import * as net from 'node:net';
import * as tls from 'node:tls';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { EmbeddedKafka } from '../../src';
import { createTestCertificates, type TestCertificates } from '../../src/security/test-certificates';
import { memoryLogger } from '../helpers/broker';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

function client(bootstrap: string, extra: Partial<KafkaConfig>): Kafka {
  return new Kafka({
    brokers: [bootstrap],
    clientId: 'tls-test',
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 5000,
    ...extra,
  });
}

async function listTopics(kafka: Kafka): Promise<string[]> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}

let certs: TestCertificates;
beforeAll(async () => {
  certs = await createTestCertificates();
});

describe('TLS listener (SSL)', () => {
  let broker: EmbeddedKafka;
  const log = memoryLogger();

  beforeAll(async () => {
    broker = await EmbeddedKafka.start({
      port: 0,
      host: '127.0.0.1',
      advertisedHost: 'localhost',
      tls: { cert: certs.server.cert, key: certs.server.key },
      logger: log.logger,
    });
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('serves kafkajs that trusts the CA, produce and fetch included', async () => {
    expect(broker.securityProtocol).toBe('SSL');
    const kafka = client(broker.bootstrapServers, { ssl: { ca: [certs.ca.cert] } });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'tls-topic', messages: [{ value: 'over tls' }] });
    await producer.disconnect();
    expect(await listTopics(kafka)).toContain('tls-topic');
  });

  it('is refused by a client that does not trust its certificate, and serves on', async () => {
    await expect(listTopics(client(broker.bootstrapServers, { ssl: true }))).rejects.toThrow(
      /self[- ]signed|unable to (get|verify)|certificate/i,
    );
    expect(await listTopics(client(broker.bootstrapServers, { ssl: { ca: [certs.ca.cert] } }))).toEqual(
      expect.any(Array),
    );
  });

  it('survives plain-text Kafka clients and raw garbage on the TLS port, logging the failed handshakes', async () => {
    await expect(listTopics(client(broker.bootstrapServers, {}))).rejects.toThrow();
    const [host, port] = broker.bootstrapServers.split(':');
    for (const bytes of [
      Buffer.from([0, 0, 0, 20, 0, 18, 0, 3, 0, 0, 0, 1]),
      Buffer.from('GET / HTTP/1.1\r\n\r\n'),
      // A TLS record header announcing a huge ClientHello, then end of stream.
      Buffer.from([0x16, 0x03, 0x01, 0xff, 0xff, 0x01]),
    ]) {
      await new Promise<void>((resolve) => {
        const s = net.connect(Number(port), host!, () => s.end(bytes));
        s.resume(); // read the TLS alert, so 'close' can follow
        s.on('error', () => resolve());
        s.on('close', () => resolve());
      });
    }
    expect(log.lines.some((l) => /TLS handshake with .* failed/.test(l))).toBe(true);
    expect(await listTopics(client(broker.bootstrapServers, { ssl: { ca: [certs.ca.cert] } }))).toEqual(
      expect.any(Array),
    );
  });
});

describe('mutual TLS (ssl.client.auth=required)', () => {
  let broker: EmbeddedKafka;

  beforeAll(async () => {
    broker = await EmbeddedKafka.start({
      port: 0,
      advertisedHost: 'localhost',
      tls: { cert: certs.server.cert, key: certs.server.key, ca: certs.ca.cert, clientAuth: 'required' },
    });
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('serves a client with a certificate signed by the CA', async () => {
    const ssl = { ca: [certs.ca.cert], cert: certs.client.cert, key: certs.client.key };
    expect(await listTopics(client(broker.bootstrapServers, { ssl }))).toEqual(expect.any(Array));
  });

  it('refuses a client without a certificate, with an expired one, or with one from another CA', async () => {
    const attempts = [
      { ca: [certs.ca.cert] },
      { ca: [certs.ca.cert], cert: certs.expiredClient.cert, key: certs.expiredClient.key },
      { ca: [certs.ca.cert], cert: certs.untrustedServer.cert, key: certs.untrustedServer.key },
    ];
    for (const ssl of attempts) {
      await expect(listTopics(client(broker.bootstrapServers, { ssl }))).rejects.toThrow();
    }
    // Node's TLS client reports the broker's refusal itself.
    const [host, port] = broker.bootstrapServers.split(':');
    const alert = await new Promise<string>((resolve) => {
      const s = tls.connect({ host, port: Number(port), ca: certs.ca.cert, servername: 'localhost' }, () =>
        s.write(Buffer.from([0, 0, 0, 0])),
      );
      s.on('error', (e) => resolve(e.message));
      s.on('close', () => resolve('closed'));
    });
    expect(alert).toMatch(/certificate required|alert|closed|socket hang up|ECONNRESET/i);
    const ssl = { ca: [certs.ca.cert], cert: certs.client.cert, key: certs.client.key };
    expect(await listTopics(client(broker.bootstrapServers, { ssl }))).toEqual(expect.any(Array));
  });
});

describe('SASL over TLS (SASL_SSL)', () => {
  it('authenticates SCRAM-SHA-512 over TLS and refuses a wrong password', async () => {
    const broker = await EmbeddedKafka.start({
      port: 0,
      advertisedHost: 'localhost',
      tls: { cert: certs.server.cert, key: certs.server.key },
      sasl: { users: { svc: 'svc-secret' } },
    });
    try {
      expect(broker.securityProtocol).toBe('SASL_SSL');
      const ssl = { ca: [certs.ca.cert] };
      const good = client(broker.bootstrapServers, {
        ssl,
        sasl: { mechanism: 'scram-sha-512', username: 'svc', password: 'svc-secret' },
      });
      expect(await listTopics(good)).toEqual(expect.any(Array));
      const bad = client(broker.bootstrapServers, {
        ssl,
        sasl: { mechanism: 'scram-sha-512', username: 'svc', password: 'nope' },
      });
      await expect(listTopics(bad)).rejects.toThrow(/invalid credentials/);
    } finally {
      await broker.stop();
    }
  });

  it('refuses TLS options that cannot work, naming the option', async () => {
    await expect(EmbeddedKafka.start({ port: 0, tls: { cert: 'x', key: certs.server.key } })).rejects.toThrow(
      /tls.cert must be a PEM certificate/,
    );
    await expect(
      EmbeddedKafka.start({
        port: 0,
        tls: { cert: certs.server.cert, key: certs.server.key, clientAuth: 'required' },
      }),
    ).rejects.toThrow(/tls.clientAuth required needs tls.ca/);
  });
});
