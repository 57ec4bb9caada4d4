import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parseFlags, UsageError, wholeNumber } from '../src';

describe('parseFlags', () => {
  it('returns string flags by name, repeatable ones in order, and --help', () => {
    const parsed = parseFlags(['--rate', '5', '--user=a:x', '--user', 'b:y', '-h'], ['rate', 'topic'], {
      lists: ['user'],
    });
    expect(parsed.values).toEqual({ rate: '5', topic: undefined });
    expect(parsed.lists).toEqual({ user: ['a:x', 'b:y'] });
    expect(parsed.help).toBe(true);
    expect(parseFlags([], ['rate']).help).toBe(false);
  });

  it("throws a UsageError naming an unknown flag, a missing value or a positional (parseArgs' messages)", () => {
    expect(() => parseFlags(['--frobnicate'], ['rate'])).toThrow(UsageError);
    expect(() => parseFlags(['--frobnicate'], ['rate'])).toThrow("Unknown option '--frobnicate'");
    expect(() => parseFlags(['--rate'], ['rate'])).toThrow("Option '--rate <value>' argument missing");
    expect(() => parseFlags(['extra'], ['rate'])).toThrow(/Unexpected argument 'extra'/);
  });

  it('returns switches (flags without a value) as booleans, and refuses a value for one', () => {
    const parsed = parseFlags(['--keep', '--records', '10'], ['records'], { switches: ['keep', 'dry-run'] });
    expect(parsed.switches).toEqual({ keep: true, 'dry-run': false });
    expect(parsed.values).toEqual({ records: '10' });
    expect(parsed.lists).toEqual({});
    expect(parseFlags(['--rate', '1'], ['rate']).switches).toEqual({});
    expect(() => parseFlags(['--keep=yes'], [], { switches: ['keep'] })).toThrow(UsageError);
    expect(() => parseFlags(['--keep=yes'], [], { switches: ['keep'] })).toThrow(/--keep/);
  });

  it("throws the caller's error class when given", () => {
    class OwnError extends Error {}
    expect(() => parseFlags(['--x'], [], { error: (m) => new OwnError(m) })).toThrow(OwnError);
  });
});

describe('wholeNumber', () => {
  it('gives the fallback when absent, the number when in range, and names the flag otherwise', () => {
    expect(wholeNumber('rate', undefined, { fallback: 7 })).toBe(7);
    expect(wholeNumber('rate', ' 12 ', { fallback: 7, min: 1, max: 20 })).toBe(12);
    expect(() => wholeNumber('rate', '1.5', { fallback: 7 })).toThrow(
      '--rate must be a whole number, got "1.5"',
    );
    expect(() => wholeNumber('rate', '30', { fallback: 7, min: 1, max: 20 })).toThrow(
      '--rate must be between 1 and 20, got 30',
    );
  });
});

describe('benchCommandLine', () => {
  const run = (...args: string[]) =>
    spawnSync(
      process.execPath,
      [
        '--conditions=@gmart/source',
        '-r',
        '@swc-node/register',
        path.join(__dirname, 'fixtures', 'env-configured-bench.ts'),
        ...args,
      ],
      { encoding: 'utf8', cwd: path.join(__dirname, '..') },
    );

  it('runs without arguments, answers --help with the usage and exit 0, and a bad flag with exit 2', () => {
    expect(run()).toMatchObject({ status: 0, stdout: 'ran\n' });
    expect(run('--help')).toMatchObject({ status: 0, stdout: 'Usage: bench:fixture\n' });
    const bad = run('--records', '5');
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe("bench:fixture: Unknown option '--records'\n\nUsage: bench:fixture\n");
  });
});
