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
    [['--brokers', 'nohostport'], /--brokers must be a comma-separated list of host:port/],
    [['--topic', 'a b'], /--topic is not a valid Kafka topic name/],
    [['--key', 'store'], /--key must be "none" or "customer"/],
    [['--start-time', 'yesterday'], /--start-time must be an ISO-8601/],
    [['--bogus'], /bogus/],
    [['extra'], /extra/],
  ])('rejects %j with a clear message', (argv, message) => {
    expect(() => parseGenerateOptions(argv as string[], {}, NOW)).toThrow(UsageError);
    expect(() => parseGenerateOptions(argv as string[], {}, NOW)).toThrow(message);
  });
});
