import { EmbeddedKafka } from '../src';
import { ErrorCode } from '../src/protocol/error-codes';
import { Decoder } from '../src/protocol/decoder';
import { Encoder } from '../src/protocol/encoder';
import { kafkaFor } from './helpers/broker';
import { RawClient } from './helpers/raw-client';
import { buildBatch, produceBody, readFetchV4 } from './helpers/record-batch-builder';

describe('protocol primitives', () => {
  it('round-trips every primitive', () => {
    const e = new Encoder(8);
    e.writeInt8(-5)
      .writeInt16(-300)
      .writeInt32(-70000)
      .writeInt64(-1)
      .writeInt64(2 ** 40 + 7);
    e.writeVarInt(-1)
      .writeVarInt(300)
      .writeVarLong(-(2 ** 40))
      .writeUnsignedVarInt(2 ** 31);
    e.writeString('héllo')
      .writeNullableString(null)
      .writeBytes(Buffer.from([1, 2]))
      .writeNullableBytes(null);
    e.writeArray([1, 2, 3], (x, v) => x.writeInt32(v)).writeNullableArray(null, () => {});
    e.writeChunk(Buffer.alloc(300, 9)).writeInt8(1);
    const d = new Decoder(e.toBuffer());
    expect([d.readInt8(), d.readInt16(), d.readInt32(), d.readInt64(), d.readInt64()]).toEqual([
      -5,
      -300,
      -70000,
      -1,
      2 ** 40 + 7,
    ]);
    expect([d.readVarInt(), d.readVarInt(), d.readVarLong(), d.readUnsignedVarInt()]).toEqual([
      -1,
      300,
      -(2 ** 40),
      2 ** 31,
    ]);
    expect([d.readString(), d.readNullableString()]).toEqual(['héllo', null]);
    expect([...d.readBytes()]).toEqual([1, 2]);
    expect(d.readNullableBytes()).toBeNull();
    expect(d.readInt32Array()).toEqual([1, 2, 3]);
    expect(d.readNullableArray((x) => x.readInt8())).toBeNull();
    expect(d.readRaw(300).every((b) => b === 9)).toBe(true);
    expect(d.readInt8()).toBe(1);
    expect(d.remaining()).toBe(0);
    expect(() => d.readInt8()).toThrow(/truncated request: cannot read int8/);
  });

  it('refuses an array count larger than the bytes left', () => {
    const e = new Encoder().writeInt32(1000000);
    expect(() => new Decoder(e.toBuffer()).readInt32Array()).toThrow(/array count 1000000 exceeds/);
  });
});

describe('request handling', () => {
  let broker: EmbeddedKafka;

  beforeAll(async () => {
    broker = await EmbeddedKafka.start({ port: 0 });
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it('advertises exactly the registered versions, min 0, and answers ApiVersions above v4 in v0 format', async () => {
    const client = await RawClient.connect(broker.bootstrapServers);
    try {
      const d = await client.request(18, 2, () => {});
      expect(d.readInt16()).toBe(0);
      const keys = new Map(d.readArray((x) => [x.readInt16(), [x.readInt16(), x.readInt16()]] as const));
      expect(keys.get(0)).toEqual([0, 11]);
      expect(keys.get(1)).toEqual([0, 17]);
      expect(keys.get(2)).toEqual([0, 9]);
      expect(keys.get(3)).toEqual([0, 12]);
      expect(keys.get(18)).toEqual([0, 4]);
      expect(keys.get(22)).toEqual([0, 5]);
      expect(keys.get(37)).toEqual([0, 3]);
      const v5 = await client.request(18, 5, (e) => e.writeInt8(0), { flexible: true });
      expect(v5.readInt16()).toBe(ErrorCode.UNSUPPORTED_VERSION);
      expect(v5.readArray((x) => [x.readInt16(), x.readInt16(), x.readInt16()]).length).toBe(keys.size);
      expect(v5.remaining()).toBe(0);
    } finally {
      client.close();
    }
  });

  /** Fetch v4 body for one partition at `offset`. */
  const fetchV4 =
    (topic: string, offset: number, maxWaitMs: number, partitionMaxBytes = 1 << 20) =>
    (e: Encoder) => {
      e.writeInt32(-1)
        .writeInt32(maxWaitMs)
        .writeInt32(1)
        .writeInt32(1 << 20)
        .writeInt8(0);
      e.writeInt32(1)
        .writeString(topic)
        .writeInt32(1)
        .writeInt32(0)
        .writeInt64(offset)
        .writeInt32(partitionMaxBytes);
    };

  it('long-polls a Fetch until data arrives', async () => {
    const client = await RawClient.connect(broker.bootstrapServers);
    const producerClient = await RawClient.connect(broker.bootstrapServers);
    try {
      await client.request(3, 1, (e) => e.writeArray(['poll'], (x, t) => x.writeString(t)));
      const fetched = client.request(1, 4, fetchV4('poll', 0, 20000));
      await new Promise((r) => setTimeout(r, 300));
      expect(client.arrivals).toEqual([1]); // still waiting
      const started = Date.now();
      await producerClient.request(
        0,
        3,
        produceBody('poll', 0, buildBatch({ records: [{ key: 'k', value: 'hello' }] })),
      );
      const r = readFetchV4(await fetched);
      expect(Date.now() - started).toBeLessThan(15000);
      expect(r.errorCode).toBe(0);
      expect(r.highWatermark).toBe(1);
      expect(r.records.includes(Buffer.from('hello'))).toBe(true);
    } finally {
      client.close();
      producerClient.close();
    }
  });

  it('answers a waiting Fetch early when another request queues behind it, keeping responses in order', async () => {
    const client = await RawClient.connect(broker.bootstrapServers);
    try {
      await client.request(3, 1, (e) => e.writeArray(['queued'], (x, t) => x.writeString(t)));
      const started = Date.now();
      const fetched = client.request(1, 4, fetchV4('queued', 0, 20000));
      const metadata = client.request(3, 1, (e) => e.writeArray(['queued'], (x, t) => x.writeString(t)));
      const [f] = await Promise.all([fetched, metadata]);
      expect(Date.now() - started).toBeLessThan(15000);
      expect(readFetchV4(f).records.length).toBe(0);
      expect(client.arrivals).toEqual([1, 2, 3]);
    } finally {
      client.close();
    }
  });

  it('reads frames that arrive in many pieces, a size prefix split, and the next frame in the same piece', async () => {
    const client = await RawClient.connect(broker.bootstrapServers);
    try {
      await client.request(3, 1, (e) => e.writeArray(['pieces'], (x, t) => x.writeString(t)));
      const values = Array.from({ length: 400 }, (_, i) =>
        `piece-${i}-`.padEnd(700, String.fromCharCode(97 + (i % 26))),
      );
      const batch = buildBatch({ records: values.map((v, i) => ({ key: `k${i}`, value: v })) });
      // Capture both frames, then send them as: 2 bytes, 2 bytes, 1000-byte pieces, and the last
      // piece of the first frame together with all of the second (a Fetch from offset 0).
      const frames: Buffer[] = [];
      const produced = client.request(0, 3, produceBody('pieces', 0, batch), {
        write: (f) => frames.push(f),
      });
      const fetched = client.request(1, 4, fetchV4('pieces', 0, 0), { write: (f) => frames.push(f) });
      const [first, second] = frames as [Buffer, Buffer];
      const pieces = [first.subarray(0, 2), first.subarray(2, 4)];
      let at = 4;
      while (first.length - at > 1000) {
        pieces.push(first.subarray(at, at + 1000));
        at += 1000;
      }
      pieces.push(Buffer.concat([first.subarray(at), second]));
      for (const piece of pieces) {
        client.writeRaw(piece);
        await new Promise((r) => setImmediate(r));
      }
      const p = await produced;
      p.readInt32();
      p.readString();
      p.readInt32();
      expect(p.readInt32()).toBe(0);
      expect(p.readInt16()).toBe(0);
      const r = readFetchV4(await fetched);
      expect(r.errorCode).toBe(0);
      expect(r.highWatermark).toBe(values.length);
      expect(r.records.equals(batch)).toBe(true); // base offset 0 and leader epoch 0, as built
      expect(client.arrivals).toEqual([1, 2, 3]);
    } finally {
      client.close();
    }
  });

  it('honours partition max bytes but always returns at least one whole batch', async () => {
    const client = await RawClient.connect(broker.bootstrapServers);
    try {
      await client.request(3, 1, (e) => e.writeArray(['limits'], (x, t) => x.writeString(t)));
      const sizes: number[] = [];
      for (let i = 0; i < 3; i++) {
        const batch = buildBatch({ records: [{ key: `k${i}`, value: 'v'.repeat(100) }] });
        sizes.push(batch.length);
        await client.request(0, 3, produceBody('limits', 0, batch));
      }
      expect(readFetchV4(await client.request(1, 4, fetchV4('limits', 0, 0, 1))).records.length).toBe(
        sizes[0],
      );
      expect(
        readFetchV4(await client.request(1, 4, fetchV4('limits', 0, 0, sizes[0]! + sizes[1]!))).records
          .length,
      ).toBe(sizes[0]! + sizes[1]!);
      expect(readFetchV4(await client.request(1, 4, fetchV4('limits', 1, 0))).records.length).toBe(
        sizes[1]! + sizes[2]!,
      );
      expect(readFetchV4(await client.request(1, 4, fetchV4('limits', 3, 0))).records.length).toBe(0);
    } finally {
      client.close();
    }
  });

  it('answers a Fetch after maxWaitMs with no records when nothing arrives', async () => {
    const client = await RawClient.connect(broker.bootstrapServers);
    try {
      await client.request(3, 1, (e) => e.writeArray(['idle'], (x, t) => x.writeString(t)));
      const d = await client.request(1, 11, (e) => {
        e.writeInt32(-1)
          .writeInt32(200)
          .writeInt32(1)
          .writeInt32(1 << 20)
          .writeInt8(1)
          .writeInt32(0)
          .writeInt32(-1);
        e.writeInt32(1)
          .writeString('idle')
          .writeInt32(1)
          .writeInt32(0)
          .writeInt32(-1)
          .writeInt64(0)
          .writeInt64(-1)
          .writeInt32(1 << 20);
        e.writeInt32(0).writeString('');
      });
      d.readInt32();
      expect(d.readInt16()).toBe(0);
      expect(d.readInt32()).toBe(0); // no fetch session
      d.readInt32();
      d.readString();
      d.readInt32();
      d.readInt32();
      expect(d.readInt16()).toBe(0);
      expect([d.readInt64(), d.readInt64(), d.readInt64()]).toEqual([0, 0, 0]);
      expect(d.readNullableArray((x) => x.readInt64())).toEqual([]); // read_committed: empty aborted list
      expect(d.readInt32()).toBe(-1);
      expect(d.readNullableBytes()!.length).toBe(0);
      // Out of range offsets are reported.
      const oor = await client.request(1, 4, (e) => {
        e.writeInt32(-1)
          .writeInt32(0)
          .writeInt32(1)
          .writeInt32(1 << 20)
          .writeInt8(0);
        e.writeInt32(1)
          .writeString('idle')
          .writeInt32(1)
          .writeInt32(0)
          .writeInt64(5)
          .writeInt32(1 << 20);
      });
      oor.readInt32();
      oor.readInt32();
      oor.readString();
      oor.readInt32();
      oor.readInt32();
      expect(oor.readInt16()).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    } finally {
      client.close();
    }
  });

  it('auto-creates topics on Metadata only when allowed', async () => {
    const client = await RawClient.connect(broker.bootstrapServers);
    try {
      const d = await client.request(3, 4, (e) =>
        e.writeArray(['not-created'], (x, t) => x.writeString(t)).writeBoolean(false),
      );
      d.readInt32();
      d.readArray((x) => [x.readInt32(), x.readString(), x.readInt32(), x.readNullableString()]);
      d.readNullableString();
      expect(d.readInt32()).toBe(1); // controller id is the broker itself
      d.readInt32();
      expect(d.readInt16()).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    } finally {
      client.close();
    }
    const admin = kafkaFor(broker.bootstrapServers).admin();
    await admin.connect();
    expect(await admin.listTopics()).not.toContain('not-created');
    await admin.disconnect();
  });
});
