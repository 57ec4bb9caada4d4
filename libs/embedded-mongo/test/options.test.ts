import { EmbeddedMongo, InvalidConfigError, MongoLoggers, MongoOptions } from '../src';
import { parseCliArgs } from '../src/cli-args';

describe('options', () => {
  it('applies defaults', () => {
    const o = MongoOptions.resolve({});
    expect(o).toMatchObject({
      port: 0,
      host: '127.0.0.1',
      dataDir: undefined,
      fsync: 'interval',
      fsyncIntervalMs: 1000,
      compactionThreshold: 10_000,
    });
  });

  it.each([
    [{ port: -1 }, /port must be an integer between 0 and 65535/],
    [{ port: 70000 }, /port must be an integer/],
    [{ port: 1.5 }, /port must be an integer/],
    [{ host: '' }, /host must be a non-empty string/],
    [{ dataDir: '' }, /dataDir must be a non-empty path/],
    [{ fsync: 'sometimes' as never }, /fsync must be one of always, interval, never/],
    [{ fsyncIntervalMs: 0 }, /fsyncIntervalMs must be a positive integer/],
    [{ compactionThreshold: -5 }, /compactionThreshold must be a positive integer/],
  ])('rejects %p', async (options, message) => {
    expect(() => MongoOptions.resolve(options)).toThrow(InvalidConfigError);
    expect(() => MongoOptions.resolve(options)).toThrow(message);
    await expect(EmbeddedMongo.start({ ...options, logger: MongoLoggers.silent() })).rejects.toThrow(message);
  });

  it('parses CLI flags in both forms', () => {
    const a = parseCliArgs([
      '--port',
      '27018',
      '--data-dir=/tmp/x',
      '--fsync',
      'always',
      '--fsync-interval-ms',
      '50',
      '--log-level',
      'debug',
      '--host',
      '0.0.0.0',
    ]);
    expect(a.options).toMatchObject({
      port: 27018,
      dataDir: '/tmp/x',
      fsync: 'always',
      fsyncIntervalMs: 50,
      host: '0.0.0.0',
    });
    expect(a.logLevel).toBe('debug');
    expect(parseCliArgs([]).options).toMatchObject({ port: 27017, dataDir: '.data/mongo' });
    expect(() => parseCliArgs(['--port'])).toThrow(/'--port <value>' argument missing/);
    expect(() => parseCliArgs(['--port', '99999'])).toThrow(/at most 65535/);
    expect(() => parseCliArgs(['stray'])).toThrow(/Unexpected argument 'stray'/);
    expect(() => parseCliArgs(['--log-level', 'loud'])).toThrow(/--log-level must be/);
    expect(() => parseCliArgs(['--prot', '1'])).toThrow(/Unknown option '--prot'/);
    expect(() => parseCliArgs(['--port', '--host'])).toThrow(/--port/);
    expect(parseCliArgs(['-h']).help).toBe(true);
  });
});
