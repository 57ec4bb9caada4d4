import type { Kafka } from 'kafkajs';
import type { Decoder } from '../../src/protocol/decoder';
import { RawClient } from '../helpers/raw-client';

/** Reads a topic from the beginning with a fresh consumer until `until` holds; returns the values. */
export async function readAll(
  kafka: Kafka,
  topic: string,
  opts: { readUncommitted: boolean; until: (values: string[]) => boolean; timeoutMs?: number },
): Promise<string[]> {
  const consumer = kafka.consumer({
    groupId: `reader-${Math.random().toString(36).slice(2)}`,
    readUncommitted: opts.readUncommitted,
    maxWaitTimeInMs: 100,
  });
  const values: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let done!: () => void;
  const reached = new Promise<void>((r) => (done = r));
  await consumer.run({
    eachMessage: async ({ message }) => {
      values.push(message.value!.toString());
      if (opts.until(values)) done();
    },
  });
  const timeout = opts.timeoutMs ?? 20000;
  let timer: NodeJS.Timeout | undefined;
  try {
    if (!opts.until(values))
      await Promise.race([
        reached,
        new Promise<void>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`reading ${topic}: got only ${JSON.stringify(values)}`)),
            timeout,
          );
        }),
      ]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return values;
}

/** Polls `check` until it returns true (or fails after `timeoutMs`). */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** DescribeTransactions v0 over a raw connection: state, producer id/epoch and partitions per id. */
export async function describeTransactions(
  bootstrap: string,
  ids: string[],
): Promise<
  {
    errorCode: number;
    id: string;
    state: string;
    producerId: number;
    epoch: number;
    topics: Record<string, number[]>;
  }[]
> {
  const c = await RawClient.connect(bootstrap);
  try {
    const d: Decoder = await c.request(65, 0, (e) => e.writeCompactStringArray(ids).writeTaggedFields(), {
      flexible: true,
    });
    d.readInt32();
    return d.readCompactArray((x) => {
      const errorCode = x.readInt16();
      const id = x.readCompactString();
      const state = x.readCompactString();
      x.readInt32();
      x.readInt64();
      const producerId = x.readInt64();
      const epoch = x.readInt16();
      const topics: Record<string, number[]> = {};
      x.readCompactArray((y) => {
        const t = y.readCompactString();
        topics[t] = y.readCompactInt32Array();
        y.readTaggedFields();
      });
      x.readTaggedFields();
      return { errorCode, id, state, producerId, epoch, topics };
    });
  } finally {
    c.socket.destroy();
  }
}

/** ListTransactions v1 over a raw connection. */
export async function listTransactions(
  bootstrap: string,
  states: string[] = [],
  durationMs = -1,
): Promise<{
  errorCode: number;
  unknown: string[];
  txns: { id: string; producerId: number; state: string }[];
}> {
  const c = await RawClient.connect(bootstrap);
  try {
    const d = await c.request(
      66,
      1,
      (e) =>
        e
          .writeCompactStringArray(states)
          .writeCompactArray<number>([], () => {})
          .writeInt64(durationMs)
          .writeTaggedFields(),
      { flexible: true },
    );
    d.readInt32();
    const errorCode = d.readInt16();
    const unknown = d.readCompactStringArray();
    const txns = d.readCompactArray((x) => {
      const r = { id: x.readCompactString(), producerId: x.readInt64(), state: x.readCompactString() };
      x.readTaggedFields();
      return r;
    });
    return { errorCode, unknown, txns };
  } finally {
    c.socket.destroy();
  }
}
