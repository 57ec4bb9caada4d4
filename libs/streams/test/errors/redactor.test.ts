import {
  Consumed,
  DeadLetterHeaders,
  Produced,
  type Redactor,
  Serdes,
  StreamsBuilder,
  StreamsConfigError,
} from '../../src';
import { TopologyTestDriver } from '../../src/testing';

const S = Serdes.String();
const B = Serdes.Buffer();

/** Masks every run of 6 or more digits with '#', byte for byte (a stand-in for a card redactor). */
const hashDigits: Redactor = {
  redactText: (t) => t.replace(/\d{6,}/g, (m) => '#'.repeat(m.length)),
  redactBytes: (b) => {
    const text = b.toString('latin1');
    const masked = hashDigits.redactText(text);
    return masked === text ? b : Buffer.from(masked, 'latin1');
  },
};

function capture() {
  const lines: string[] = [];
  const push = (m: string, f?: Record<string, unknown>) =>
    lines.push(
      `${m} ${JSON.stringify(f, (_k, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v))}`,
    );
  return { lines, logger: { debug: push, info: push, warn: push, error: push } };
}

describe('StreamsConfig.redactor', () => {
  it('masks the key, value and headers of dead-letter records (deserialization), bytes kept around the masked parts', async () => {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(B, Serdes.Integer())).to('out', Produced.with(B, Serdes.Integer()));
    const { logger, lines } = capture();
    const d = new TopologyTestDriver(b.build(), {
      logger,
      redactor: hashDigits,
      deserializationExceptionHandler: 'logAndContinue',
      deadLetterQueueTopic: 'dlq',
    });
    const key = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('k4111111111111111')]);
    const input = d.createInputTopic('in', B, B);
    input.pipeInput(key, Buffer.from('not an int 4111111111111111'), 1000, {
      h: Buffer.from('card 5500005555555559'),
    });
    const [dead] = d.createOutputTopic('dlq', B, B).readRecordsToList();
    expect(dead).toBeDefined();
    expect([...dead!.key!]).toEqual([0xff, 0xfe, ...Buffer.from('k################')]);
    expect(dead!.value!.toString()).toBe('not an int ################');
    expect(Buffer.from(dead!.headers.h as Buffer).toString()).toBe('card ################');
    expect(String(dead!.headers[DeadLetterHeaders.TOPIC])).toBe('in');
    expect(lines.join('\n')).not.toMatch(/\d{6,}/);
    await d.close();
  });

  it('processing errors: the message header carries the redacted message; every log line is redacted', async () => {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(S, S))
      .mapValues((v): string => {
        throw new Error(`cannot handle ${v}`);
      })
      .to('out', Produced.with(S, S));
    const { logger, lines } = capture();
    const d = new TopologyTestDriver(b.build(), {
      logger,
      redactor: hashDigits,
      processingExceptionHandler: 'logAndContinue',
      deadLetterQueueTopic: 'dlq',
    });
    d.createInputTopic('in', S, S).pipeInput('4111111111111111', 'card 4111111111111111');
    const [dead] = d.createOutputTopic('dlq', S, S).readRecordsToList();
    expect(dead!.key).toBe('################');
    expect(dead!.value).toBe('card ################');
    expect(String(dead!.headers[DeadLetterHeaders.MESSAGE])).toBe('cannot handle card ################');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).toContain('cannot handle card ################');
    expect(lines.join('\n')).not.toContain('4111111111111111');
    await d.close();
  });

  it('without a redactor nothing is masked (the hook is what masks)', async () => {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(S, Serdes.Integer())).to('out', Produced.with(S, Serdes.Integer()));
    const { logger } = capture();
    const d = new TopologyTestDriver(b.build(), {
      logger,
      deserializationExceptionHandler: 'logAndContinue',
      deadLetterQueueTopic: 'dlq',
    });
    d.createInputTopic('in', S, S).pipeInput('4111111111111111', 'x');
    expect(d.createOutputTopic('dlq', S, S).readRecordsToList()[0]!.key).toBe('4111111111111111');
    await d.close();
  });

  it('a redactor without both functions is a configuration error naming the field', () => {
    const b = new StreamsBuilder();
    b.stream('in').to('out');
    expect(
      () =>
        new TopologyTestDriver(b.build(), {
          redactor: { redactText: (t: string) => t } as unknown as Redactor,
        }),
    ).toThrow(StreamsConfigError);
    expect(
      () =>
        new TopologyTestDriver(b.build(), {
          redactor: { redactText: (t: string) => t } as unknown as Redactor,
        }),
    ).toThrow(/redactor/);
  });
});
