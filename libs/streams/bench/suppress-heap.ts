/**
 * Suppress with many open windows (issue 13's memory case), through the TopologyTestDriver: a
 * windowed count of BENCH_SUPPRESS_WINDOWS distinct keys (default 1,000,000) whose windows never
 * close, (a) without suppress (the reference: the in-memory window store alone), (b) with
 * `untilWindowCloses(unbounded())` holding every window, (c) with `untilTimeLimit(.., maxBytes(bound)
 * .emitEarlyWhenFull())`. Heap is measured after a full GC once every record is in; (b) - (a) is what
 * the buffer costs. For (c) the buffer's byte size is sampled after every record and must stay within
 * the bound. The changelog records the driver captures are read and dropped as they come, so the
 * heap is the stores' and the buffer's.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { Consumed, Materialized, Serdes, StreamsBuilder, Suppressed, TimeWindows, type Serde } from '../src';
import { Stores } from '../src/state';
import type { InMemoryTimeOrderedBuffer } from '../src/state/internals/in-memory-time-ordered-buffer';
import { TopologyTestDriver } from '../src/testing';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const MiB = 1024 * 1024;

type Mode = 'reference' | 'unbounded' | 'bounded';

async function run(mode: Mode, windows: number, boundBytes: number) {
  const S = Serdes.String();
  const b = new StreamsBuilder();
  const day = 86_400_000;
  const counts = b
    .stream('clicks', Consumed.with(S, S))
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeAndGrace(day, day))
    .count(
      Materialized.as<string, number>(Stores.inMemoryWindowStore('counts', 2 * day, day, false))
        .withValueSerde(Serdes.Long() as Serde<number>)
        .withCachingDisabled(),
    );
  if (mode === 'unbounded')
    counts.suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName('hold'));
  if (mode === 'bounded')
    counts.suppress(
      Suppressed.untilTimeLimit(
        day,
        Suppressed.BufferConfig.maxBytes(boundBytes).emitEarlyWhenFull(),
      ).withName('hold'),
    );
  const d = await TopologyTestDriver.create(b.build());
  try {
    const input = d.createInputTopic('clicks', S, S);
    const buffer =
      mode === 'reference' ? undefined : d.getStateStore<InMemoryTimeOrderedBuffer>('hold-store');
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let maxBytes = 0;
    const started = process.hrtime.bigint();
    // the driver keeps every produced record (here the changelogs) until read: drop them as they come
    const drain = () => {
      for (const t of d.producedTopicNames())
        d.createOutputTopic(t, Serdes.Buffer(), Serdes.Buffer()).readRecordsToList();
    };
    for (let i = 0; i < windows; i++) {
      input.pipeInput(`customer-${i}`, 'x', 1_000 + (i % 1000));
      if (buffer && buffer.bufferSize > maxBytes) maxBytes = buffer.bufferSize;
      if (i % 1000 === 999) drain();
    }
    drain();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    gc();
    const heap = process.memoryUsage().heapUsed - baseline;
    return { heap, maxBytes, held: buffer?.numRecords ?? 0, seconds };
  } finally {
    await d.close();
  }
}

export async function benchSuppressHeap(): Promise<void> {
  const windows = Number(process.env.BENCH_SUPPRESS_WINDOWS ?? 1_000_000);
  const bound = Number(process.env.BENCH_SUPPRESS_BOUND ?? 16 * MiB);
  console.log(
    `\nsuppress with ${windows.toLocaleString('en-US')} open windows (TopologyTestDriver, heap after full GC)`,
  );
  const ref = await run('reference', windows, bound);
  console.log(
    `  (a) windowed count, no suppress (reference)   heap +${(ref.heap / MiB).toFixed(0)} MiB  ${Math.round(windows / ref.seconds)} records/s`,
  );
  const unb = await run('unbounded', windows, bound);
  console.log(
    `  (b) + suppress(untilWindowCloses(unbounded))  heap +${(unb.heap / MiB).toFixed(0)} MiB  holds ${unb.held.toLocaleString('en-US')} windows, buffer ${(unb.maxBytes / MiB).toFixed(0)} MiB; suppress costs ${((unb.heap - ref.heap) / MiB).toFixed(0)} MiB (${Math.round((unb.heap - ref.heap) / windows)} bytes per window)`,
  );
  const bnd = await run('bounded', windows, bound);
  console.log(
    `  (c) + suppress(maxBytes(${(bound / MiB).toFixed(2)} MiB).emitEarlyWhenFull()) heap +${(bnd.heap / MiB).toFixed(0)} MiB  buffer peak ${(bnd.maxBytes / MiB).toFixed(2)} MiB ${bnd.maxBytes <= bound ? 'within' : 'OVER'} its bound; holds ${bnd.held.toLocaleString('en-US')} windows at the end`,
  );
}
