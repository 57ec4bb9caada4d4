import { Writable } from 'node:stream';
import type { DestinationStream } from 'pino';
import { cardNumberRedactor } from '@gmart/gmart';
import { PinoNestLogger, createServiceLogger, streamsLoggerFor } from '../src';

function capture(): { destination: DestinationStream; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return {
    destination,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('service logger', () => {
  it('writes one JSON object per line with level label, ISO time and service', () => {
    const c = capture();
    const logger = createServiceLogger({ service: 'masking', level: 'info', destination: c.destination });
    logger.info({ partition: 3 }, 'assigned');
    logger.debug('not written at info');
    const [line, ...rest] = c.lines();
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ level: 'info', service: 'masking', partition: 3, msg: 'assigned' });
    expect(new Date(line!.time as string).toISOString()).toBe(line!.time);
  });

  it('masks card numbers in messages and errors (the redactText hook), redacts keys, values and passwords', () => {
    const c = capture();
    const logger = createServiceLogger({
      service: 'masking',
      level: 'info',
      destination: c.destination,
      redactText: cardNumberRedactor.redactText,
    });
    logger.warn('bad record with 4111-1111-1111-1111 inside');
    logger.info(
      {
        value: '{"creditCardNumber":"4111111111111111"}',
        key: 'k',
        record: { value: 'v' },
        sasl: { password: 'p' },
      },
      'x',
    );
    logger.error({ err: new Error('cannot parse 4111 1111 1111 1111') }, 'failed');
    const text = c
      .lines()
      .map((l) => JSON.stringify(l))
      .join('\n');
    expect(text).not.toMatch(/4111[- ]?1111[- ]?1111[- ]?1111/);
    expect(text).toContain('xxxx-xxxx-xxxx-1111');
    const [, second, third] = c.lines();
    expect(second).toMatchObject({
      value: '[redacted]',
      key: '[redacted]',
      record: { value: '[redacted]' },
      sasl: { password: '[redacted]' },
    });
    expect(third).toMatchObject({ err: { name: 'Error', message: 'cannot parse xxxx xxxx xxxx 1111' } });
  });

  it('adapts Nest logger calls, with context and stack', () => {
    const c = capture();
    const nest = new PinoNestLogger(
      createServiceLogger({ service: 's', level: 'trace', destination: c.destination }),
    );
    nest.log('Mapped {/metrics, GET} route', 'RouterExplorer');
    nest.error('boom', 'Error: boom\n    at x', 'ExceptionHandler');
    nest.warn({ detail: 1 }, 'Ctx');
    nest.verbose('v');
    expect(c.lines()).toEqual([
      expect.objectContaining({
        level: 'info',
        context: 'RouterExplorer',
        msg: 'Mapped {/metrics, GET} route',
      }),
      expect.objectContaining({
        level: 'error',
        context: 'ExceptionHandler',
        stack: 'Error: boom\n    at x',
        msg: 'boom',
      }),
      expect.objectContaining({ level: 'warn', context: 'Ctx', detail: 1 }),
      expect.objectContaining({ level: 'trace', msg: 'v' }),
    ]);
  });

  it('adapts the streams logger interface', () => {
    const c = capture();
    const s = streamsLoggerFor(
      createServiceLogger({ service: 's', level: 'info', destination: c.destination }),
    );
    s.warn('Deserialization failed; skipping record', {
      topic: 't',
      partition: 1,
      offset: 7,
      error: new TypeError('nope'),
    });
    s.debug('hidden');
    expect(c.lines()).toEqual([
      expect.objectContaining({
        level: 'warn',
        logger: 'streams',
        topic: 't',
        partition: 1,
        offset: 7,
        error: expect.objectContaining({ name: 'TypeError', message: 'nope' }),
      }),
    ]);
  });
});
