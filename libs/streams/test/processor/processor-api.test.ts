import { Processor, ProcessorContext, PunctuationType, Record, Serdes, Topology } from '../../src';
import { TopologyTestDriver } from '../../src/testing';

const S = Serdes.String();

describe('Processor API under the DSL', () => {
  it('gives record metadata, forwards to named children and punctuates on stream and wall-clock time', async () => {
    const events: string[] = [];
    class Router implements Processor<string, string, string, string> {
      private ctx!: ProcessorContext<string, string>;
      init(ctx: ProcessorContext<string, string>) {
        this.ctx = ctx;
        ctx.schedule(10, PunctuationType.STREAM_TIME, (ts) => events.push(`stream@${ts}`));
        const c = ctx.schedule(1000, PunctuationType.WALL_CLOCK_TIME, (ts) => {
          events.push(`wall@${ts}`);
          ctx.forward(new Record('tick', String(ts), ts), 'left');
          c.cancel();
        });
      }
      process(r: Record<string, string>) {
        const m = this.ctx.recordMetadata()!;
        this.ctx.forward(
          r.withValue(`${r.value}@${m.topic}/${m.partition}/${m.offset}`),
          r.key === 'l' ? 'left' : 'right',
        );
      }
    }
    const t = new Topology()
      .addSource({
        name: 'src',
        topics: ['in'],
        keyDeserializer: S.deserializer(),
        valueDeserializer: S.deserializer(),
      })
      .addProcessor('router', () => new Router(), 'src')
      .addSink('left', 'left-out', S.serializer(), S.serializer(), undefined, 'router')
      .addSink('right', 'right-out', S.serializer(), S.serializer(), undefined, 'router');
    const d = new TopologyTestDriver(t, { initialWallClockTimeMs: 0 });
    const input = d.createInputTopic('in', S, S);
    input.pipeInput('l', 'a', 5);
    input.pipeInput('r', 'b', 12);
    input.pipeInput('r', 'c', 30);
    d.advanceWallClockTime(999);
    d.advanceWallClockTime(1);
    d.advanceWallClockTime(5000);
    expect(d.createOutputTopic('left-out', S, S).readValuesToList()).toEqual(['a@in/0/0', '1000']);
    expect(d.createOutputTopic('right-out', S, S).readValuesToList()).toEqual(['b@in/0/1', 'c@in/0/2']);
    expect(events).toEqual(['stream@5', 'stream@30', 'wall@1000']);
    await d.close();
  });

  it('getStateStore refuses a store that is not connected', () => {
    let err: unknown;
    const t = new Topology().addSource({ name: 'src', topics: ['in'] }).addProcessor(
      'p',
      () => ({
        init(ctx: ProcessorContext) {
          try {
            ctx.getStateStore('missing');
          } catch (e) {
            err = e;
          }
        },
        process() {},
      }),
      'src',
    );
    new TopologyTestDriver(t);
    expect(String(err)).toMatch(/Processor "p" has no access to state store "missing"/);
  });
});
