import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestCertificates, type TestCertificates } from '@gmart/embedded-kafka/test-certificates';
import { tempDir } from '@gmart/test-support';
import { KafkaConnectionError, parseKafkaConnection, toKafkaJsConnection } from '../src';

let certs: TestCertificates;
let dir: string;
const file = (name: string, contents: string) => {
  const p = join(dir, name);
  writeFileSync(p, contents);
  return p;
};

beforeAll(async () => {
  certs = await createTestCertificates();
  dir = tempDir('kafka-connection');
});

function problemsOf(env: NodeJS.ProcessEnv): Record<string, string> {
  try {
    parseKafkaConnection(env);
  } catch (e) {
    expect(e).toBeInstanceOf(KafkaConnectionError);
    return Object.fromEntries((e as KafkaConnectionError).problems.map((p) => [p.variable, p.reason]));
  }
  throw new Error('expected a KafkaConnectionError');
}

describe('parseKafkaConnection', () => {
  it('reads brokers alone as plain TCP without SASL', () => {
    expect(parseKafkaConnection({ KAFKA_BROKERS: ' a:9092 , b:19092 ' })).toEqual({
      brokers: ['a:9092', 'b:19092'],
      ssl: false,
    });
  });

  it('reads SASL/SCRAM over TLS with a CA, client certificate, key and server name', () => {
    const env = {
      KAFKA_BROKERS: 'k:9093',
      KAFKA_SSL: 'TRUE',
      KAFKA_SSL_CA_FILE: file('ca.pem', certs.ca.cert),
      KAFKA_SSL_CERT_FILE: file('client.pem', certs.client.cert),
      KAFKA_SSL_KEY_FILE: file('client.key', certs.client.key),
      KAFKA_SSL_SERVERNAME: 'kafka.internal',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'svc',
      KAFKA_SASL_PASSWORD: ' s3cret ',
    };
    const s = parseKafkaConnection(env);
    expect(s).toEqual({
      brokers: ['k:9093'],
      ssl: {
        ca: [certs.ca.cert],
        cert: certs.client.cert,
        key: certs.client.key,
        servername: 'kafka.internal',
      },
      sasl: { mechanism: 'scram-sha-512', username: 'svc', password: ' s3cret ' },
    });
    expect(toKafkaJsConnection(s)).toEqual({
      brokers: ['k:9093'],
      ssl: {
        ca: [certs.ca.cert],
        cert: certs.client.cert,
        key: certs.client.key,
        servername: 'kafka.internal',
      },
      sasl: { mechanism: 'scram-sha-512', username: 'svc', password: ' s3cret ' },
    });
  });

  it('gives kafkajs ssl: true for TLS with the system CAs', () => {
    expect(toKafkaJsConnection(parseKafkaConnection({ KAFKA_BROKERS: 'k:1', KAFKA_SSL: 'true' }))).toEqual({
      brokers: ['k:1'],
      ssl: true,
    });
  });

  it('treats blank values as unset', () => {
    expect(
      parseKafkaConnection({
        KAFKA_BROKERS: 'k:1',
        KAFKA_SSL: ' ',
        KAFKA_SASL_MECHANISM: '',
        KAFKA_SSL_CA_FILE: '',
      }),
    ).toEqual({ brokers: ['k:1'], ssl: false });
  });

  it.each([
    [{}, 'KAFKA_BROKERS', /is required/],
    [{ KAFKA_BROKERS: 'localhost' }, 'KAFKA_BROKERS', /host:port/],
    [{ KAFKA_BROKERS: 'a:99999' }, 'KAFKA_BROKERS', /port at most 65535/],
    [{ KAFKA_BROKERS: 'k:1', KAFKA_SSL: 'yes' }, 'KAFKA_SSL', /true or false/],
    [
      { KAFKA_BROKERS: 'k:1', KAFKA_SASL_MECHANISM: 'gssapi' },
      'KAFKA_SASL_MECHANISM',
      /one of plain, scram-sha-256/,
    ],
    [
      { KAFKA_BROKERS: 'k:1', KAFKA_SASL_MECHANISM: 'plain' },
      'KAFKA_SASL_USERNAME',
      /required when KAFKA_SASL_MECHANISM/,
    ],
    [
      { KAFKA_BROKERS: 'k:1', KAFKA_SASL_PASSWORD: 'x' },
      'KAFKA_SASL_PASSWORD',
      /KAFKA_SASL_MECHANISM is not/,
    ],
    [{ KAFKA_BROKERS: 'k:1', KAFKA_SSL_CA_FILE: '/ca.pem' }, 'KAFKA_SSL_CA_FILE', /KAFKA_SSL is not true/],
    [{ KAFKA_BROKERS: 'k:1', KAFKA_SSL_SERVERNAME: 'k' }, 'KAFKA_SSL_SERVERNAME', /KAFKA_SSL is not true/],
    [
      { KAFKA_BROKERS: 'k:1', KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: '/nope/ca.pem' },
      'KAFKA_SSL_CA_FILE',
      /cannot be read \(ENOENT\)/,
    ],
  ])('stops on %j naming %s', (env, variable, reason) => {
    const problems = problemsOf(env as NodeJS.ProcessEnv);
    expect(problems[variable]).toMatch(reason);
  });

  it('lists every bad variable at once', () => {
    expect(Object.keys(problemsOf({ KAFKA_SSL: 'maybe', KAFKA_SASL_MECHANISM: 'plain' })).sort()).toEqual([
      'KAFKA_BROKERS',
      'KAFKA_SASL_PASSWORD',
      'KAFKA_SASL_USERNAME',
      'KAFKA_SSL',
    ]);
  });

  it('needs the client certificate and key together', () => {
    const base = { KAFKA_BROKERS: 'k:1', KAFKA_SSL: 'true' };
    expect(problemsOf({ ...base, KAFKA_SSL_CERT_FILE: file('c1.pem', certs.client.cert) })).toEqual({
      KAFKA_SSL_KEY_FILE: 'is required when KAFKA_SSL_CERT_FILE is set (mutual TLS)',
    });
    expect(problemsOf({ ...base, KAFKA_SSL_KEY_FILE: file('k1.pem', certs.client.key) })).toEqual({
      KAFKA_SSL_CERT_FILE: 'is required when KAFKA_SSL_KEY_FILE is set (mutual TLS)',
    });
  });

  it('rejects files that are not what they claim, naming the variable and never the contents', () => {
    const base = { KAFKA_BROKERS: 'k:1', KAFKA_SSL: 'true' };
    const secretKey = certs.client.key;
    const cases: [NodeJS.ProcessEnv, string, RegExp][] = [
      [
        { ...base, KAFKA_SSL_CA_FILE: file('key-as-ca.pem', secretKey) },
        'KAFKA_SSL_CA_FILE',
        /no PEM certificate/,
      ],
      [
        {
          ...base,
          KAFKA_SSL_CERT_FILE: file('c2.pem', certs.client.cert),
          KAFKA_SSL_KEY_FILE: file('wrong.key', certs.server.key),
        },
        'KAFKA_SSL_KEY_FILE',
        /does not match the certificate/,
      ],
      [
        {
          ...base,
          KAFKA_SSL_CERT_FILE: file('c3.pem', certs.client.cert),
          KAFKA_SSL_KEY_FILE: file('garbage.key', 'not a key'),
        },
        'KAFKA_SSL_KEY_FILE',
        /cannot be parsed as an unencrypted PEM private key/,
      ],
      [
        {
          ...base,
          KAFKA_SSL_CERT_FILE: file('expired.pem', certs.expiredClient.cert),
          KAFKA_SSL_KEY_FILE: file('expired.key', certs.expiredClient.key),
        },
        'KAFKA_SSL_CERT_FILE',
        /expired on .*CN=expired-client/,
      ],
    ];
    for (const [env, variable, reason] of cases) {
      let error: KafkaConnectionError | undefined;
      try {
        parseKafkaConnection(env);
      } catch (e) {
        error = e as KafkaConnectionError;
      }
      expect(error).toBeInstanceOf(KafkaConnectionError);
      expect(error!.variables).toEqual([variable]);
      expect(error!.message).toMatch(reason);
      expect(error!.message).not.toContain('PRIVATE KEY');
      expect(error!.message).not.toContain(secretKey.split('\n')[1]);
    }
  });

  it('never puts the password in an error', () => {
    let message = '';
    try {
      parseKafkaConnection({
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_PASSWORD: 'hunter2-secret',
        KAFKA_SSL: 'no',
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/KAFKA_SASL_USERNAME/);
    expect(message).not.toContain('hunter2-secret');
  });
});
