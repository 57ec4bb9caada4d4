/**
 * Under `exactly_once_v2` a stream thread whose input has run dry commits when the commit is due,
 * not only at its next idle tick: a one-shot timer is armed while processed records wait
 * uncommitted. The thread's idle tick is switched off here (its `setInterval` gets an hour), so
 * the second record's output becomes visible to a read_committed consumer only through that
 * timer: it was processed within the commit interval of the previous commit, and no further input
 * comes to end a batch with the commit due.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Registry } from 'prom-client';
import type { Consumer } from 'kafkajs';
import { Consumed, KafkaStreams, Produced, Serdes, StreamsBuilder } from '../../src';
import { createTopics, produce, startBroker, waitFor } from '@gmart/test-support';

jest.setTimeout(120000);
const S = Serdes.String();
const COMMIT_INTERVAL_MS = 1500;

describe('exactly_once_v2: an idle thread commits when the commit is due (embedded broker)', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  let streams: KafkaStreams | undefined;
  let reader: Consumer | undefined;
  let stateDir: string;
  const realSetInterval = global.setInterval;

  beforeAll(async () => {
    env = await startBroker();
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'due-commit-'));
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await reader?.disconnect();
    await streams?.close({ timeoutMs: 10000 });
    await env?.broker.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('makes the output of the last records visible without a tick or further input', async () => {
    // The stream thread's idle tick (set in StreamThread.start) never fires during the test.
    let ticksOff = 0;
    jest.spyOn(global, 'setInterval').mockImplementation(((fn: () => void, ms?: number) => {
      // The frame reads `StreamThread.start` or, through source maps, `StreamThread.setInterval [as start]`.
      const fromThreadStart = /StreamThread\.(start|\S+ \[as start\])/.test(new Error().stack ?? '');
      if (fromThreadStart) ticksOff++;
      return realSetInterval(fn, fromThreadStart ? 3_600_000 : ms);
    }) as typeof setInterval);
    const input = 'due-commit-in';
    const output = 'due-commit-out';
    await createTopics(env.kafka, [{ topic: input }, { topic: output }]);
    const builder = new StreamsBuilder();
    builder
      .stream(input, Consumed.with(S, S))
      .mapValues((v) => v.toUpperCase())
      .to(output, Produced.with(S, S));
    streams = new KafkaStreams(builder.build(), {
      applicationId: 'due-commit',
      bootstrapServers: env.brokers,
      kafkaClient: 'kafkajs',
      processingGuarantee: 'exactly_once_v2',
      commitIntervalMs: COMMIT_INTERVAL_MS,
      stateDir,
      metricsRegistry: new Registry(),
      consumer: { maxWaitTimeInMs: 100 },
    });
    await streams.start();
    expect(ticksOff).toBe(1);

    const seen: string[] = [];
    reader = env.kafka.consumer({ groupId: 'due-commit-reader', maxWaitTimeInMs: 100 });
    await reader.connect();
    await reader.subscribe({ topics: [output], fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        seen.push(String(message.value));
      },
    });

    await produce(env.kafka, input, [{ key: 'k', value: 'first' }]);
    await waitFor(() => seen.includes('FIRST'), 60000, 'FIRST committed');
    // Processed right after the commit that made FIRST visible: that batch ends with no commit due.
    await produce(env.kafka, input, [{ key: 'k', value: 'second' }]);
    await waitFor(() => seen.includes('SECOND'), 60000, 'SECOND committed');
    expect(seen).toEqual(['FIRST', 'SECOND']);
  });
});
