import {
  Consumed,
  DeserializationExceptionHandler,
  HandlerResponse,
  LogAndSkipOnInvalidTimestamp,
  ProcessingError,
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
  b.stream('in', Consumed.with(S, Serdes.Json<{ card: string }>())).mapValues((v) => v.card.slice(-4)).to('out', Produced.with(S, S));
  const d = new TopologyTestDriver(b.build(), { logger, ...config });
  return { d, input: d.createInputTopic('in', S, S), out: d.createOutputTopic('out', S, S) };
}

beforeEach(() => (logs.length = 0));

describe('error handling in the task (test driver)', () => {
  it('logAndFail (default) stops on a poison pill; the log names the position, never the value', () => {
    const { d, input } = jsonApp();
    expect(() => input.pipeInput('k', '4111111111111111 not json')).toThrow(TaskFailedError);
    expect(logs.join('\n')).toMatch(/"topic":"in","partition":0,"offset":0/);
    expect(logs.join('\n')).not.toContain('4111');
    void d.close();
  });

  it('logAndContinue skips the poison pill and writes it to the dead-letter topic with headers', () => {
    const { d, input, out } = jsonApp({ deserializationExceptionHandler: 'logAndContinue', deadLetterQueueTopic: 'dlq' });
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
    void d.close();
  });

  it('a custom deserialization handler decides', () => {
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
    void d.close();
  });

  it('processing errors: logAndFail throws ProcessingError naming the node; logAndContinue drops', () => {
    const failing = jsonApp();
    expect(() => failing.input.pipeInput('k', '{"nocard":1}')).toThrow(ProcessingError);
    expect(() => failing.input.pipeInput('k', '{"nocard":1}')).toThrow(/node "KSTREAM-MAPVALUES-0000000001"/);
    void failing.d.close();
    const lenient = jsonApp({ processingExceptionHandler: 'logAndContinue' });
    lenient.input.pipeInput('k', '{"nocard":1}');
    lenient.input.pipeInput('k', '{"card":"1234"}');
    expect(lenient.out.readValuesToList()).toEqual(['1234']);
    expect(lenient.d.droppedRecords()).toEqual({ processing_error: 1 });
    void lenient.d.close();
  });

  it('serialization errors at the sink go to the production handler', () => {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(S, S)).mapValues((v) => Number(v)).to('out', Produced.with(S, Serdes.Integer()));
    const strict = new TopologyTestDriver(b.build(), { logger });
    expect(() => strict.createInputTopic('in', S, S).pipeInput('k', '1.5')).toThrow(/Serializing the value for topic "out" failed/);
    const lenient = new TopologyTestDriver(b.build(), { logger, productionExceptionHandler: 'continue' });
    lenient.createInputTopic('in', S, S).pipeInput('k', '1.5');
    lenient.createInputTopic('in', S, S).pipeInput('k', '2');
    expect(lenient.createOutputTopic('out', S, Serdes.Integer()).readValuesToList()).toEqual([2]);
    expect(lenient.droppedRecords()).toEqual({ serialization_error: 1 });
  });

  it('config errors name the field', () => {
    const b = new StreamsBuilder();
    b.stream('in');
    expect(() => new TopologyTestDriver(b.build(), { deserializationExceptionHandler: 'ignore' as never })).toThrow(StreamsConfigError);
    expect(() => new TopologyTestDriver(b.build(), { deserializationExceptionHandler: 'ignore' as never })).toThrow(/"deserializationExceptionHandler"/);
    expect(() => new TopologyTestDriver(b.build(), { applicationId: 'bad id' })).toThrow(/"applicationId"/);
  });
});

describe('timestamp extractors', () => {
  function app(extractor: object) {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(S, Serdes.Json<{ purchaseDate?: string }>()).withTimestampExtractor(extractor as never)).to('out', Produced.with(S, Serdes.Json()));
    const d = new TopologyTestDriver(b.build(), { logger, initialWallClockTimeMs: 5000 });
    return { d, input: d.createInputTopic('in', S, S), out: d.createOutputTopic('out', S, Serdes.Json()) };
  }

  it('FailOnInvalidTimestamp (default) fails on a negative timestamp', () => {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(S, S)).to('out', Produced.with(S, S));
    const d = new TopologyTestDriver(b.build(), { logger });
    expect(() => d.createInputTopic('in', S, S).pipeInput('k', 'v', -1)).toThrow(/invalid \(negative\) timestamp/);
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
    expect(field.out.readRecordsToList().map((r) => r.timestamp)).toEqual([Date.parse('2020-01-02T00:00:00Z'), 7]);
  });
});
