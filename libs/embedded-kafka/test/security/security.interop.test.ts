import * as fs from 'node:fs';
import * as path from 'node:path';
import { EmbeddedKafka } from '../../src';
import { createTestCertificates, type TestCertificates } from '../../src/security/test-certificates';
import { memoryLogger, tempDir } from '../helpers/broker';
import { kcat, kcatConsume } from '../helpers/kcat';

/** librdkafka (kcat) against the broker's SASL and TLS: another client's SCRAM, PLAIN and TLS code. */
describe('kcat over SASL and TLS', () => {
  const dir = tempDir('ek-sec-interop-');
  let certs: TestCertificates;
  let caFile: string;
  let broker: EmbeddedKafka;
  const log = memoryLogger();

  beforeAll(async () => {
    certs = await createTestCertificates();
    caFile = path.join(dir, 'ca.pem');
    fs.writeFileSync(caFile, certs.ca.cert);
    broker = await EmbeddedKafka.start({
      port: 0,
      advertisedHost: 'localhost',
      tls: { cert: certs.server.cert, key: certs.server.key },
      sasl: { users: { svc: 'svc-secret' } },
      logger: log.logger,
    });
  });
  afterAll(async () => {
    await broker?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const security = (mechanism: string, password: string) => [
    '-X',
    'security.protocol=SASL_SSL',
    '-X',
    `sasl.mechanisms=${mechanism}`,
    '-X',
    'sasl.username=svc',
    '-X',
    `sasl.password=${password}`,
    '-X',
    `ssl.ca.location=${caFile}`,
  ];

  it.each(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'])(
    'produces and consumes with %s over TLS',
    async (mechanism) => {
      const topic = `kcat-${mechanism.toLowerCase()}`;
      const p = await kcat(
        ['-P', '-b', broker.bootstrapServers, '-t', topic, '-K', ':', ...security(mechanism, 'svc-secret')],
        'a:1\nb:2\n',
      );
      expect(p.stderr).toBe('');
      expect(p.code).toBe(0);
      expect(
        await kcatConsume(broker.bootstrapServers, topic, '%k=%s\\n', security(mechanism, 'svc-secret')),
      ).toEqual(['a=1', 'b=2']);
    },
  );

  it('fails with the authentication error for a wrong password', async () => {
    const r = await kcat([
      '-L',
      '-b',
      broker.bootstrapServers,
      '-m',
      '5',
      ...security('SCRAM-SHA-256', 'wrong'),
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Authentication failed|SASL authentication error/i);
    expect(log.lines.some((l) => /SCRAM-SHA-256 authentication failed/.test(l))).toBe(true);
  });

  it('fails on TLS when the broker certificate is not trusted', async () => {
    const r = await kcat([
      '-L',
      '-b',
      broker.bootstrapServers,
      '-m',
      '5',
      '-X',
      'security.protocol=SASL_SSL',
      '-X',
      'sasl.mechanisms=PLAIN',
      '-X',
      'sasl.username=svc',
      '-X',
      'sasl.password=svc-secret',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/certificate verify failed|SSL handshake failed/i);
  });
});
