import {
  Consumed,
  type ConsumedRecord,
  DeadLetterContext,
  DeadLetterHeaders,
  DeadLetterRecord,
  DeserializationExceptionHandler,
  HandlerResponse,
  LogAndSkipOnInvalidTimestamp,
  ProcessingError,
  ProcessorStateError,
  Produced,
  Serdes,
  StreamsBuilder,
  StreamsConfigError,
  TaskFailedError,
  UsePreviousTimeOnInvalidTimestamp,
  ValueFieldTimestampExtractor,
  WallclockTimestampExtractor,
} from '../../src';
import { TopologyTestDriver } from '../../src/testing';

const S = Serdes.String();
const logs: string[] = [];
const logger = {
  debug() {},
  info() {},
  warn: (m: string, f?: object) => logs.push(`${m} ${JSON.stringify(f)}`),
  error: (m: string, f?: object) => logs.push(`${m} ${JSON.stringify(f)}`),
};

function jsonApp(config: object = {}) {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(S, Serdes.Json<{ card: string }>()))
    .mapValues((v) => v.card.slice(-4))
    .to('out', Produced.with(S, S));
  const d = new TopologyTestDriver(b.build(), { logger, ...config });
  return { d, input: d.createInputTopic('in', S, S), out: d.createOutputTopic('out', S, S) };
}

beforeEach(() => (logs.length = 0));

describe('error handling in the task (test driver)', () => {
  it('logAndFail (default) stops on a poison pill; the log names the position, never the value', async () => {
    const { d, input } = jsonApp();
    expect(() => input.pipeInput('k', '4111111111111111 not json')).toThrow(TaskFailedError);
    expect(logs.join('\n')).toMatch(/"topic":"in","partition":0,"offset":0/);
    expect(logs.join('\n')).not.toContain('4111');
    await d.close();
  });

  it('logAndContinue skips the poison pill and writes it to the dead-letter topic with headers', async () => {
    const { d, input, out } = jsonApp({
      deserializationExceptionHandler: 'logAndContinue',
      deadLetterQueueTopic: 'dlq',
    });
    input.pipeInput('k1', '{"card":"4111111111111111"}');
    input.pipeInput('k2', 'garbage');
    input.pipeInput('k3', '{"card":"5500000000000004"}');
    expect(out.readValuesToList()).toEqual(['1111', '0004']);
    const dlq = d.createOutputTopic('dlq', S, S).readRecordsToList();
    expect(dlq).toHaveLength(1);
    expect(dlq[0].value).toBe('garbage');
    expect(dlq[0].headers['__streams.errors.offset']).toBe('1');
    expect(dlq[0].headers['__streams.errors.topic']).toBe('in');
    expect(dlq[0].headers['__streams.errors.exception']).toBe('SerializationError');
    expect(d.droppedRecords()).toEqual({ deserialization_error: 1 });
    await d.close();
  });

  it('a custom deserialization handler decides', async () => {
    const seen: number[] = [];
    const handler: DeserializationExceptionHandler = {
      handle: (ctx) => {
        seen.push(ctx.offset);
        return HandlerResponse.CONTINUE;
      },
    };
    const { d, input } = jsonApp({ deserializationExceptionHandler: handler });
    input.pipeInput('a', 'x');
    input.pipeInput('b', 'y');
    expect(seen).toEqual([0, 1]);
    await d.close();
  });

  it('processing errors: logAndFail throws ProcessingError naming the node; logAndContinue drops', async () => {
    const failing = jsonApp();
    expect(() => failing.input.pipeInput('k', '{"nocard":1}')).toThrow(ProcessingError);
    expect(() => failing.input.pipeInput('k', '{"nocard":1}')).toThrow(/node "KSTREAM-MAPVALUES-0000000001"/);
    await failing.d.close();
    const lenient = jsonApp({ processingExceptionHandler: 'logAndContinue' });
    lenient.input.pipeInput('k', '{"nocard":1}');
    lenient.input.pipeInput('k', '{"card":"1234"}');
    expect(lenient.out.readValuesToList()).toEqual(['1234']);
    expect(lenient.d.droppedRecords()).toEqual({ processing_error: 1 });
    await lenient.d.close();
  });

  it('local state that cannot be written (ProcessorStateError) fails the task even under logAndContinue, no dead letter', async () => {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(S, S))
      .mapValues((v) => {
        if (v === 'full')
          throw new ProcessorStateError('committing to the LMDB store at /state failed: ENOSPC');
        return v;
      })
      .to('out', Produced.with(S, S));
    const d = new TopologyTestDriver(b.build(), {
      logger,
      processingExceptionHandler: 'logAndContinue',
      deadLetterQueueTopic: 'dlq',
    });
    const input = d.createInputTopic('in', S, S);
    input.pipeInput('k', 'ok');
    expect(() => input.pipeInput('k', 'full')).toThrow(ProcessorStateError);
    expect(d.createOutputTopic('dlq', S, S).readRecordsToList()).toEqual([]);
    expect(d.droppedRecords()).toEqual({});
    await d.close();
  });

  it('deadLetterQueue.mapRecord rewrites dead-letter records (deserialization), and null writes nothing', async () => {
    const contexts: DeadLetterContext[] = [];
    const mask = (b: Buffer | null) => (b ? Buffer.from(b.toString().replace(/\d(?=\d{4})/g, 'x')) : b);
    const { d, input } = jsonApp({
      deserializationExceptionHandler: 'logAndContinue',
      deadLetterQueue: {
        topic: 'dlq',
        mapRecord: (r: DeadLetterRecord, ctx: DeadLetterContext) => {
          contexts.push(ctx);
          if (r.value?.toString() === 'drop me') return null;
          const headers = { ...r.headers, [DeadLetterHeaders.MESSAGE]: 'sanitized', 'x-masked': 'yes' };
          return { ...r, key: mask(r.key), value: mask(r.value), headers };
        },
      },
    });
    const raw = Buffer.from('4111111111111111 not json');
    d.pipeRaw('in', Buffer.from('k-4111111111111111'), raw, 7, {});
    input.pipeInput('k2', 'drop me');
    const dlq = d.createOutputTopic('dlq', S, S).readRecordsToList();
    expect(dlq).toHaveLength(1);
    expect(dlq[0].key).toBe('k-xxxxxxxxxxxx1111');
    expect(dlq[0].value).toBe('xxxxxxxxxxxx1111 not json');
    expect(dlq[0].timestamp).toBe(7);
    expect(dlq[0].headers[DeadLetterHeaders.MESSAGE]).toBe('sanitized');
    expect(dlq[0].headers['x-masked']).toBe('yes');
    expect(dlq[0].headers[DeadLetterHeaders.OFFSET]).toBe('0');
    // The input bytes themselves are untouched.
    expect(raw.toString()).toBe('4111111111111111 not json');
    expect(contexts.map((c) => [c.reason, c.topic, c.offset, c.deadLetterTopic, c.error.name])).toEqual([
      ['deserialization', 'in', 0, 'dlq', 'SerializationError'],
      ['deserialization', 'in', 1, 'dlq', 'SerializationError'],
    ]);
    await d.close();
  });

  it('processing errors: the dead-letter message header withholds the error message unless a mapper sanitizes it', async () => {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(S, S))
      .mapValues((v): string => {
        throw new Error(`cannot handle ${v}`);
      })
      .to('out', Produced.with(S, S));
    const plain = new TopologyTestDriver(b.build(), {
      logger,
      processingExceptionHandler: 'logAndContinue',
      deadLetterQueueTopic: 'dlq',
    });
    plain.createInputTopic('in', S, S).pipeInput('k', 'card 4111111111111111');
    const [dead] = plain.createOutputTopic('dlq', S, S).readRecordsToList();
    expect(dead.headers[DeadLetterHeaders.EXCEPTION]).toBe('Error');
    expect(dead.headers[DeadLetterHeaders.MESSAGE]).toBe(
      'Error in processor "KSTREAM-MAPVALUES-0000000001" (message withheld: it may quote record values)',
    );
    await plain.close();

    const seen: string[] = [];
    const mapped = new TopologyTestDriver(b.build(), {
      logger,
      processingExceptionHandler: 'logAndContinue',
      deadLetterQueueTopic: 'dlq',
      deadLetterQueue: {
        mapRecord: (r: DeadLetterRecord, ctx: DeadLetterContext) => {
          seen.push(`${ctx.reason}:${String(r.headers[DeadLetterHeaders.MESSAGE])}`);
          return {
            ...r,
            value: null,
            headers: {
              ...r.headers,
              [DeadLetterHeaders.MESSAGE]: String(r.headers[DeadLetterHeaders.MESSAGE]).replace(/\d/g, '#'),
            },
          };
        },
      },
    });
    mapped.createInputTopic('in', S, S).pipeInput('k', 'card 4111111111111111');
    const [m] = mapped.createOutputTopic('dlq', S, S).readRecordsToList();
    expect(seen).toEqual(['processing:cannot handle card 4111111111111111']);
    expect(m.headers[DeadLetterHeaders.MESSAGE]).toBe('cannot handle card ################');
    expect(m.value).toBeNull();
    await mapped.close();
  });

  it('a dead-letter mapper that throws fails the task and writes nothing', async () => {
    const { d, input } = jsonApp({
      deserializationExceptionHandler: 'logAndContinue',
      deadLetterQueue: {
        topic: 'dlq',
        mapRecord: () => {
          throw new Error('boom');
        },
      },
    });
    // The failure surfaces at the task's next check (the driver checks after every piped record).
    expect(() => input.pipeInput('k', 'garbage')).toThrow(
      /dead-letter record mapper threw for in-0 offset 0/,
    );
    expect(d.createOutputTopic('dlq', S, S).isEmpty()).toBe(true);
    await d.close();
  });

  it('deadLetterQueue config errors name the field', () => {
    const b = new StreamsBuilder();
    b.stream('in');
    const t = b.build();
    expect(
      () => new TopologyTestDriver(t, { deadLetterQueue: { mapRecord: (r: DeadLetterRecord) => r } }),
    ).toThrow(/"deadLetterQueue.topic": is required/);
    expect(
      () => new TopologyTestDriver(t, { deadLetterQueue: { topic: 'a' }, deadLetterQueueTopic: 'b' }),
    ).toThrow(/"deadLetterQueue.topic": differs/);
    expect(
      () => new TopologyTestDriver(t, { deadLetterQueue: { topic: 'a', mapRecord: 'x' as never } }),
    ).toThrow(/"deadLetterQueue.mapRecord"/);
    expect(() => new TopologyTestDriver(t, { deadLetterQueue: { topic: 'a b' } })).toThrow(
      /"deadLetterQueue.topic": must be a legal topic name/,
    );
  });

  it('serialization errors at the sink go to the production handler', () => {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(S, S))
      .mapValues((v) => Number(v))
      .to('out', Produced.with(S, Serdes.Integer()));
    const strict = new TopologyTestDriver(b.build(), { logger });
    expect(() => strict.createInputTopic('in', S, S).pipeInput('k', '1.5')).toThrow(
      /Serializing the value for topic "out" failed/,
    );
    const lenient = new TopologyTestDriver(b.build(), { logger, productionExceptionHandler: 'continue' });
    lenient.createInputTopic('in', S, S).pipeInput('k', '1.5');
    lenient.createInputTopic('in', S, S).pipeInput('k', '2');
    expect(lenient.createOutputTopic('out', S, Serdes.Integer()).readValuesToList()).toEqual([2]);
    expect(lenient.droppedRecords()).toEqual({ serialization_error: 1 });
  });

  it('config errors name the field', () => {
    const b = new StreamsBuilder();
    b.stream('in');
    expect(
      () => new TopologyTestDriver(b.build(), { deserializationExceptionHandler: 'ignore' as never }),
    ).toThrow(StreamsConfigError);
    expect(
      () => new TopologyTestDriver(b.build(), { deserializationExceptionHandler: 'ignore' as never }),
    ).toThrow(/"deserializationExceptionHandler"/);
    expect(() => new TopologyTestDriver(b.build(), { applicationId: 'bad id' })).toThrow(/"applicationId"/);
  });
});

describe('timestamp extractors', () => {
  function app(extractor: object) {
    const b = new StreamsBuilder();
    b.stream(
      'in',
      Consumed.with(S, Serdes.Json<{ purchaseDate?: string }>()).withTimestampExtractor(extractor as never),
    ).to('out', Produced.with(S, Serdes.Json()));
    const d = new TopologyTestDriver(b.build(), { logger, initialWallClockTimeMs: 5000 });
    return { d, input: d.createInputTopic('in', S, S), out: d.createOutputTopic('out', S, Serdes.Json()) };
  }

  it('FailOnInvalidTimestamp (default) fails on a negative timestamp', () => {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(S, S)).to('out', Produced.with(S, S));
    const d = new TopologyTestDriver(b.build(), { logger });
    expect(() => d.createInputTopic('in', S, S).pipeInput('k', 'v', -1)).toThrow(
      /invalid \(negative\) timestamp/,
    );
  });

  it('LogAndSkipOnInvalidTimestamp drops; UsePreviousTime uses partition time', () => {
    const skip = app(new LogAndSkipOnInvalidTimestamp());
    skip.input.pipeInput('k', '{}', -5);
    expect(skip.out.isEmpty()).toBe(true);
    expect(skip.d.droppedRecords()).toEqual({ invalid_timestamp: 1 });
    const prev = app(new UsePreviousTimeOnInvalidTimestamp());
    prev.input.pipeInput('k', '{}', 100);
    prev.input.pipeInput('k', '{}', -5);
    expect(prev.out.readRecordsToList().map((r) => r.timestamp)).toEqual([100, 100]);
  });

  it('Wallclock and value-field extractors', () => {
    const now = Date.now();
    const wall = app(new WallclockTimestampExtractor());
    wall.input.pipeInput('k', '{}', 1);
    expect(wall.out.readRecord().timestamp).toBeGreaterThanOrEqual(now);
    const field = app(new ValueFieldTimestampExtractor('purchaseDate'));
    field.input.pipeInput('k', '{"purchaseDate":"2020-01-02T00:00:00Z"}', 1);
    field.input.pipeInput('k', '{}', 7);
    field.input.pipeInput('k', '{"purchaseDate":1234}', 8);
    field.input.pipeInput('k', '{"purchaseDate":"soon"}', 9);
    expect(field.out.readRecordsToList().map((r) => r.timestamp)).toEqual([
      Date.parse('2020-01-02T00:00:00Z'),
      7,
      1234,
      9,
    ]);
    // A subclass's own extract is what the source calls (the source reads a value field's
    // extractor's field without a record object only when extract is the class's own).
    const seen: Array<[string, number, number]> = [];
    const sub = app(
      new (class extends ValueFieldTimestampExtractor {
        override extract(r: ConsumedRecord, partitionTime?: number): number {
          seen.push([r.topic, r.offset, partitionTime ?? NaN]);
          return super.extract(r) + 1;
        }
      })('purchaseDate'),
    );
    sub.input.pipeInput('k', '{"purchaseDate":1000}', 1);
    sub.input.pipeInput('k', '{}', 5);
    expect(sub.out.readRecordsToList().map((r) => r.timestamp)).toEqual([1001, 6]);
    expect(seen).toEqual([
      ['in', 0, -1],
      ['in', 1, 1001],
    ]);
  });
});
