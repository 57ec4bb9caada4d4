/**
 * Local state that cannot be written (a full disk: the store's flush fails with ENOSPC) is fatal,
 * as Kafka Streams' `ProcessorStateException` from a flush: the thread dies and the client goes
 * to ERROR with the cause logged at error level, under both guarantees. Under exactly_once_v2 it
 * used to be handled like a fenced producer: the transaction abandoned, the tasks closed dirty,
 * wiped and restored, and the same flush failing again, in a loop that never stopped the client.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Registry } from 'prom-client';
import {
  Consumed,
  KafkaStreams,
  KafkaStreamsState,
  type ProcessingGuarantee,
  Processor,
  ProcessorContext,
  Record,
  Serdes,
  StateStore,
  StateStoreContext,
  StoreBuilder,
  StreamsBuilder,
} from '../../src';
import { createTopics, produce, startBroker, waitFor } from '@gmart/test-support';

jest.setTimeout(120000);
const S = Serdes.String();

/** A store whose flush always fails as a write to a full disk does. */
class FullDiskStore implements StateStore {
  readonly persistent = true;
  private open = false;
  constructor(readonly name: string) {}
  init(context: StateStoreContext, root: StateStore): void {
    context.register(root, () => undefined, {});
    this.open = true;
  }
  async flush(): Promise<void> {
    throw Object.assign(new Error('No space left on device: Attempting to write page'), { code: 'ENOSPC' });
  }
  close(): void {
    this.open = false;
  }
  isOpen(): boolean {
    return this.open;
  }
}

describe.each<ProcessingGuarantee>(['at_least_once', 'exactly_once_v2'])(
  'a state store whose flush fails (full disk) under %s',
  (guarantee) => {
    let env: Awaited<ReturnType<typeof startBroker>>;
    const dirs: string[] = [];
    beforeAll(async () => {
      env = await startBroker();
    });
    afterAll(async () => {
      await env?.broker.stop();
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    });

    it('kills the thread: the client goes to ERROR, the cause logged at error level, no dirty-close loop', async () => {
      const topic = `ff-in-${guarantee}`;
      await createTopics(env.kafka, [{ topic, numPartitions: 1 }]);
      await produce(
        env.kafka,
        topic,
        Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, value: String(i) })),
      );
      const builder: StoreBuilder<FullDiskStore> = {
        name: 'full-disk',
        loggingEnabled: false,
        logConfig: {},
        build: () => new FullDiskStore('full-disk'),
      };
      class Touch implements Processor<string, string, never, never> {
        init(ctx: ProcessorContext<never, never>) {
          ctx.getStateStore('full-disk');
        }
        process(_r: Record<string, string>) {}
      }
      const b = new StreamsBuilder();
      b.addStateStore(builder);
      b.stream(topic, Consumed.with(S, S)).process(() => new Touch(), 'full-disk');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-state-'));
      dirs.push(dir);
      const errors: string[] = [];
      const warnings: string[] = [];
      const text = (msg: string, meta?: unknown) =>
        `${msg} ${JSON.stringify(meta, (_k, v) => (v instanceof Error ? { message: v.message, cause: (v as Error & { cause?: unknown }).cause } : v))}`;
      const streams = new KafkaStreams(b.build(), {
        applicationId: `full-disk-${guarantee}`,
        bootstrapServers: env.brokers,
        processingGuarantee: guarantee,
        commitIntervalMs: 200,
        stateDir: dir,
        logger: {
          debug() {},
          info() {},
          warn: (m: string, meta?: unknown) => void warnings.push(text(m, meta)),
          error: (m: string, meta?: unknown) => void errors.push(text(m, meta)),
        },
        metricsRegistry: new Registry(),
      });
      await streams.start();
      try {
        await waitFor(() => streams.state() === KafkaStreamsState.ERROR, 60000, 'the client in ERROR');
        expect(errors.some((e) => e.includes('No space left on device'))).toBe(true);
        expect(warnings.filter((w) => w.includes('closing tasks dirty'))).toEqual([]);
      } finally {
        await streams.close();
      }
    });
  },
);
