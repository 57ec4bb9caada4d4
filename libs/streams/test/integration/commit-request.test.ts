import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Registry } from 'prom-client';
import {
  Consumed,
  KafkaStreams,
  Processor,
  ProcessorContext,
  Record,
  Serdes,
  StateStore,
  StateStoreContext,
  StoreBuilder,
  StreamsBuilder,
} from '../../src';
import { createTopics, produce, silentLogger, startBroker, waitFor } from '@gmart/test-support';

jest.setTimeout(120000);
const S = Serdes.String();
const BOUND = 50;

/** A sink-like store: buffers writes in memory, writes them out on flush (the commit path). */
class BufferingStore implements StateStore {
  readonly persistent = false;
  private open = false;
  buffered = 0;
  maxBuffered = 0;
  written = 0;
  constructor(readonly name: string) {}
  init(context: StateStoreContext, root: StateStore): void {
    context.register(root, () => undefined, {});
    this.open = true;
  }
  add(): number {
    this.buffered++;
    this.maxBuffered = Math.max(this.maxBuffered, this.buffered);
    return this.buffered;
  }
  async flush(): Promise<void> {
    await new Promise((r) => setTimeout(r, 1));
    this.written += this.buffered;
    this.buffered = 0;
  }
  close(): void {
    this.open = false;
  }
  isOpen(): boolean {
    return this.open;
  }
}

describe('context.commit() as a back-pressure hook for stores and sinks', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  const dirs: string[] = [];
  beforeAll(async () => {
    env = await startBroker();
  });
  afterAll(async () => {
    await env?.broker.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('a store that asks for a commit when it holds BOUND writes never holds more, even inside one large fetched batch', async () => {
    const n = 3000;
    await createTopics(env.kafka, [{ topic: 'cr-in', numPartitions: 1 }]);
    // Produced before start, so the first fetches return large batches.
    await produce(
      env.kafka,
      'cr-in',
      Array.from({ length: n }, (_, i) => ({ key: `k${i % 7}`, value: String(i) })),
    );
    const stores: BufferingStore[] = [];
    const builder: StoreBuilder<BufferingStore> = {
      name: 'sink-buffer',
      loggingEnabled: false,
      logConfig: {},
      build: () => {
        const s = new BufferingStore('sink-buffer');
        stores.push(s);
        return s;
      },
    };
    class Sink implements Processor<string, string, never, never> {
      private ctx!: ProcessorContext<never, never>;
      private store!: BufferingStore;
      init(ctx: ProcessorContext<never, never>) {
        this.ctx = ctx;
        this.store = ctx.getStateStore('sink-buffer');
      }
      process(_r: Record<string, string>) {
        if (this.store.add() >= BOUND) this.ctx.commit();
      }
    }
    const b = new StreamsBuilder();
    b.addStateStore(builder);
    b.stream('cr-in', Consumed.with(S, S)).process(() => new Sink(), 'sink-buffer');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cr-state-'));
    dirs.push(dir);
    const streams = new KafkaStreams(b.build(), {
      applicationId: 'commit-request',
      bootstrapServers: env.brokers,
      commitIntervalMs: 600000,
      stateDir: dir,
      logger: silentLogger,
      metricsRegistry: new Registry(),
    });
    await streams.start();
    try {
      await waitFor(
        () => stores.reduce((a, s) => a + s.written, 0) >= n - (n % BOUND),
        60000,
        'writes flushed by requested commits',
      );
      expect(stores).toHaveLength(1);
      expect(stores[0].maxBuffered).toBe(BOUND);
      expect(stores[0].written).toBe(n - (n % BOUND));
    } finally {
      await streams.close();
    }
  });
});
