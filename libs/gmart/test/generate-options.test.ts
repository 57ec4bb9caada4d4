import { UsageError, parseGenerateOptions } from '../src/cli/generate-options';

const NOW = Date.UTC(2026, 10, 30, 6, 0);

describe('generate CLI options', () => {
  it('has defaults from the environment', () => {
    expect(parseGenerateOptions([], { KAFKA_BROKERS: 'a:1,b:2', TOPIC_TRANSACTIONS: 'tx' }, NOW)).toEqual({
      rate: 100,
      count: undefined,
      brokers: ['a:1', 'b:2'],
      topic: 'tx',
      partitions: 6,
      seed: 1,
      customers: 500,
      startTime: NOW,
      key: 'none',
      clientId: 'gmart-generator',
      ssl: false,
      help: false,
    });
    expect(parseGenerateOptions([], {}, NOW).brokers).toEqual(['localhost:9092']);
  });
  it('reads every flag', () => {
    const o = parseGenerateOptions(
      [
        '--rate',
        '500',
        '--count',
        '100000',
        '--brokers',
        'k:9092',
        '--topic',
        'transactions',
        '--seed',
        '7',
        '--customers',
        '50',
        '--start-time',
        '2026-01-01T00:00:00Z',
        '--key',
        'customer',
        '--partitions',
        '3',
        '--client-id',
        'gen',
      ],
      {},
      NOW,
    );
    expect(o).toMatchObject({
      rate: 500,
      count: 100000,
      brokers: ['k:9092'],
      seed: 7,
      customers: 50,
      startTime: Date.UTC(2026, 0, 1),
      key: 'customer',
      partitions: 3,
      clientId: 'gen',
    });
  });
  it.each([
    [['--rate', 'fast'], /--rate must be a whole number/],
    [['--rate', '0'], /--rate must be between 1/],
    [['--count=-5'], /--count must be a whole number/],
    [['--count', '-5'], /--count/],
    [['--brokers', 'nohostport'], /--brokers: must be a comma-separated list of host:port/],
    [['--topic', 'a b'], /--topic is not a valid Kafka topic name/],
    [['--key', 'store'], /--key must be "none" or "customer"/],
    [['--start-time', 'yesterday'], /--start-time must be an ISO-8601/],
    [['--bogus'], /bogus/],
    [['extra'], /extra/],
  ])('rejects %j with a clear message', (argv, message) => {
    expect(() => parseGenerateOptions(argv as string[], {}, NOW)).toThrow(UsageError);
    expect(() => parseGenerateOptions(argv as string[], {}, NOW)).toThrow(message);
  });
  it('reads TLS and SASL from the services variables', () => {
    const o = parseGenerateOptions(
      [],
      {
        KAFKA_SSL: 'true',
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'p',
      },
      NOW,
    );
    expect(o.ssl).toEqual({});
    expect(o.brokers).toEqual(['localhost:9092']);
    expect(o.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'u', password: 'p' });
  });
  it.each([
    [{ KAFKA_SSL: 'yes' }, /KAFKA_SSL: must be true or false/],
    [{ KAFKA_BROKERS: 'nohostport' }, /KAFKA_BROKERS: must be a comma-separated list of host:port/],
    [{ KAFKA_SSL_CA_FILE: '/nope.pem' }, /KAFKA_SSL_CA_FILE: is set but KAFKA_SSL is not true/],
    [
      { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: '/nonexistent/ca.pem' },
      /KAFKA_SSL_CA_FILE: cannot be read \(ENOENT\)/,
    ],
    [{ KAFKA_SASL_MECHANISM: 'gssapi' }, /KAFKA_SASL_MECHANISM: must be one of/],
    [{ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD: 'secret-pw' }, /KAFKA_SASL_USERNAME: is required/],
  ])('rejects bad security variables %j naming the variable', (env, message) => {
    expect(() => parseGenerateOptions([], env, NOW)).toThrow(message);
    try {
      parseGenerateOptions([], env, NOW);
    } catch (e) {
      expect((e as Error).message).not.toContain('secret-pw');
    }
  });
});
