import * as net from 'node:net';
import { EmbeddedKafka } from '../src';
import { ErrorCode } from '../src/protocol/error-codes';
import type { Decoder } from '../src/protocol/decoder';
import { kafkaFor, memoryLogger } from './helpers/broker';
import { RawClient } from './helpers/raw-client';
import { buildBatch, produceBody } from './helpers/record-batch-builder';

function produceError(d: Decoder): number {
  d.readInt32();
  d.readString();
  d.readInt32();
  d.readInt32();
  return d.readInt16();
}

describe('bad input', () => {
  let broker: EmbeddedKafka;
  const log = memoryLogger();

  beforeAll(async () => {
    broker = await EmbeddedKafka.start({
      port: 0,
      logger: log.logger,
      topicDefaults: { 'max.message.bytes': '2000' },
    });
  });

  afterAll(async () => {
    await broker?.stop();
  });

  async function stillServes(): Promise<void> {
    const admin = kafkaFor(broker.bootstrapServers).admin();
    await admin.connect();
    expect(Array.isArray(await admin.listTopics())).toBe(true);
    await admin.disconnect();
  }

  it('closes a connection sending garbage and logs why', async () => {
    const client = await RawClient.connect(broker.bootstrapServers);
    client.writeRaw(Buffer.from([0xff, 0xff, 0xff, 0xf0, 1, 2, 3, 4]));
    await client.closed;
    expect(log.lines.some((l) => /invalid frame size -16/.test(l))).toBe(true);
    await stillServes();
  });

  it('closes a connection whose frame is cut short, keeps serving others', async () => {
    const client = await RawClient.connect(broker.bootstrapServers);
    // Metadata v1 frame announcing 100 bytes but carrying a header that ends early.
    const frame = Buffer.alloc(4 + 10);
    frame.writeInt32BE(10, 0);
    frame.writeInt16BE(3, 4);
    frame.writeInt16BE(1, 6);
    frame.writeInt32BE(7, 8);
    frame.writeInt16BE(50, 12); // client id length 50, but the frame ends here
    client.writeRaw(frame);
    await client.closed;
    expect(log.lines.some((l) => /malformed request header: truncated request/.test(l))).toBe(true);
    // A body that ends early inside a field.
    const c2 = await RawClient.connect(broker.bootstrapServers);
    await expect(c2.request(3, 1, (e) => e.writeInt32(5).writeInt16(200))).rejects.toThrow(/closed/);
    expect(log.lines.some((l) => /malformed Metadata v1 request/.test(l))).toBe(true);
    await stillServes();
  });

  it('closes the connection on unknown API keys and unsupported versions', async () => {
    const c1 = await RawClient.connect(broker.bootstrapServers);
    await expect(c1.request(999, 0, () => {})).rejects.toThrow(/closed/);
    const c2 = await RawClient.connect(broker.bootstrapServers);
    await expect(c2.request(3, 42, () => {})).rejects.toThrow(/closed/);
    expect(log.lines.some((l) => /unsupported API key 999/.test(l))).toBe(true);
    expect(log.lines.some((l) => /unsupported version 42 of Metadata/.test(l))).toBe(true);
    await stillServes();
  });

  it('refuses a batch with a wrong CRC as CORRUPT_MESSAGE and stores nothing', async () => {
    const client = await RawClient.connect(broker.bootstrapServers);
    try {
      await client.request(3, 1, (e) => e.writeArray(['crc'], (x, t) => x.writeString(t)));
      const batch = buildBatch({ records: [{ key: 'k', value: 'v' }] });
      batch[batch.length - 1] ^= 0xff;
      expect(produceError(await client.request(0, 3, produceBody('crc', 0, batch)))).toBe(
        ErrorCode.CORRUPT_MESSAGE,
      );
      // A batch whose length field overruns the record set: Kafka's batch iterator finds no whole
      // batch, which Produce v3+ refuses as INVALID_RECORD (ProduceRequest.validateRecords).
      const short = buildBatch({ records: [{ key: 'k', value: 'v' }] }).subarray(0, 40);
      expect(produceError(await client.request(0, 3, produceBody('crc', 0, short)))).toBe(
        ErrorCode.INVALID_RECORD,
      );
      // A control batch sent by a client.
      const control = buildBatch({ records: [{ key: 'k', value: 'v' }], attributes: 0x20 });
      expect(produceError(await client.request(0, 3, produceBody('crc', 0, control)))).toBe(
        ErrorCode.INVALID_RECORD,
      );
      // Too large for max.message.bytes.
      const big = buildBatch({ records: [{ key: 'k', value: 'x'.repeat(5000) }] });
      expect(produceError(await client.request(0, 3, produceBody('crc', 0, big)))).toBe(
        ErrorCode.MESSAGE_TOO_LARGE,
      );
      // Unknown partition, invalid topic name.
      const ok = buildBatch({ records: [{ key: 'k', value: 'v' }] });
      expect(produceError(await client.request(0, 3, produceBody('crc', 7, ok)))).toBe(
        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      );
      expect(produceError(await client.request(0, 3, produceBody('no/such', 0, ok)))).toBe(
        ErrorCode.INVALID_TOPIC_EXCEPTION,
      );
      // And a good one still lands at offset 0.
      const good = await client.request(0, 3, produceBody('crc', 0, ok));
      good.readInt32();
      good.readString();
      good.readInt32();
      good.readInt32();
      expect(good.readInt16()).toBe(0);
      expect(good.readInt64()).toBe(0);
    } finally {
      client.close();
    }
    expect(log.lines.some((l) => /CRC-32C mismatch/.test(l))).toBe(true);
    await stillServes();
  });

  it('survives a client that disconnects in the middle of a frame', async () => {
    await new Promise<void>((resolve) => {
      const [host, port] = broker.bootstrapServers.split(':');
      const s = net.connect(Number(port), host!, () => {
        s.write(Buffer.from([0, 0, 1, 0, 0, 3]));
        s.destroy();
        resolve();
      });
    });
    await stillServes();
  });
});
