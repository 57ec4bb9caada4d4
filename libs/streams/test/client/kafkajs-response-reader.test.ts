/**
 * The patched kafkajs reads each response of a plain TCP connection straight into a buffer of its
 * own (net.Socket `onread`, `src/network/responseReader.js`) instead of gathering 'data' chunks and
 * concatenating them. These tests hold the framing to the bytes sent, however the socket splits
 * them: a brute-force model over random responses and random read sizes, and over TCP a kafkajs
 * consumer reading through a proxy that re-cuts the broker's bytes into small pieces. A response
 * whose size prefix is negative fails the connection with a clear error.
 */
import * as net from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { createTopics, useBroker } from '@gmart/test-support';
import { seededRandom as rng } from '../helpers/seeded-random';

jest.setTimeout(60000);

interface OnRead {
  buffer: () => Buffer;
  callback: (bytesRead: number, buffer: Buffer) => void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ResponseReader = require('kafkajs/src/network/responseReader.js') as new (
  onFrame: (frame: Buffer) => void,
  onInvalid: (error: Error) => void,
) => { onread: OnRead; isIdle(): boolean };

/** What net.Socket does with `onread`: each read fills at most the buffer it is given, then the callback. */
function readThrough(onread: OnRead, stream: Buffer, readLimit: () => number): void {
  let at = 0;
  while (at < stream.length) {
    const target = onread.buffer();
    const n = Math.min(target.length, stream.length - at, readLimit());
    stream.copy(target, 0, at, at + n);
    at += n;
    onread.callback(n, target);
  }
}

function framed(body: Buffer): Buffer {
  const frame = Buffer.alloc(4 + body.length);
  frame.writeInt32BE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}

describe('kafkajs response reader (patch)', () => {
  it('frames every response byte for byte, however the reads cut them (model)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = rng(seed);
      const sizes = [0, 1, 3, 4, 65532, 65536, 65540, 200_000];
      const bodies: Buffer[] = [];
      for (let i = 0; i < 30; i++) {
        const size =
          random() < 0.3 ? sizes[Math.floor(random() * sizes.length)]! : Math.floor(random() * 150_000);
        const body = Buffer.alloc(size);
        for (let j = 0; j < size; j += 97) body[j] = Math.floor(random() * 256);
        if (size > 0) body[size - 1] = i;
        bodies.push(body);
      }
      const stream = Buffer.concat(bodies.map(framed));
      const frames: Buffer[] = [];
      const reader = new ResponseReader(
        (frame) => frames.push(frame),
        (error) => {
          throw error;
        },
      );
      // Reads of 1 byte to more than the scratch buffer; some cut inside a size prefix.
      const limits = [1, 2, 3, 5, 4096, 65536, 1 << 20];
      readThrough(reader.onread, stream, () =>
        random() < 0.5 ? limits[Math.floor(random() * limits.length)]! : 1 + Math.floor(random() * 100_000),
      );
      // Compared after every read is done: a frame sharing memory with a buffer the reader reads
      // into again would have been overwritten by now.
      expect(frames.map((f) => f.length)).toEqual(bodies.map((b) => 4 + b.length));
      for (let i = 0; i < bodies.length; i++) {
        expect(frames[i]!.readInt32BE(0)).toBe(bodies[i]!.length);
        expect(frames[i]!.subarray(4).equals(bodies[i]!)).toBe(true);
      }
      expect(reader.isIdle()).toBe(true);
    }
  });

  it('stops at a negative response size and says so', () => {
    const frames: Buffer[] = [];
    const errors: Error[] = [];
    const reader = new ResponseReader(
      (frame) => frames.push(frame),
      (error) => errors.push(error),
    );
    const bad = Buffer.alloc(4);
    bad.writeInt32BE(-2, 0);
    readThrough(
      reader.onread,
      Buffer.concat([framed(Buffer.from('ok')), bad, framed(Buffer.from('x'))]),
      () => 64,
    );
    expect(frames.map((f) => f.subarray(4).toString())).toEqual(['ok']);
    expect(errors.map((e) => e.message)).toEqual(['Invalid response size -2']);
  });

  describe('over TCP', () => {
    const broker = useBroker({ clientId: 'response-reader' });
    const servers: net.Server[] = [];
    const sockets = new Set<net.Socket>();

    afterEach(async () => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
    });

    async function listen(onConnection: (client: net.Socket) => void): Promise<number> {
      const server = net.createServer((client) => {
        sockets.add(client);
        onConnection(client);
      });
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return (server.address() as net.AddressInfo).port;
    }

    /** A proxy to the broker that writes the broker's bytes to the client in small pieces, one per turn. */
    function recuttingProxy(upstream: { host: string; port: number }): Promise<number> {
      const random = rng(7);
      return listen((client) => {
        const server = net.connect(upstream);
        sockets.add(server);
        client.pipe(server);
        const queue: Buffer[] = [];
        let writing = false;
        const drain = (): void => {
          const next = queue.shift();
          if (next === undefined) {
            writing = false;
            return;
          }
          // 1..3000 bytes at a time, each written on its own turn: the client reads them apart.
          let at = 0;
          const step = (): void => {
            if (at >= next.length || client.destroyed) return drain();
            const n = 1 + Math.floor(random() * 3000);
            client.write(next.subarray(at, at + n));
            at += n;
            setImmediate(step);
          };
          step();
        };
        server.on('data', (chunk: Buffer) => {
          queue.push(chunk);
          if (!writing) {
            writing = true;
            drain();
          }
        });
        server.on('error', () => client.destroy());
        client.on('error', () => server.destroy());
        client.on('close', () => server.destroy());
      });
    }

    it('consumes every record, in order and intact, through reads cut anywhere', async () => {
      const topic = 'response-reader-recut';
      await createTopics(broker().kafka, [{ topic, numPartitions: 2 }]);
      const random = rng(11);
      const sent = new Map<number, string[]>([
        [0, []],
        [1, []],
      ]);
      const producer = broker().kafka.producer();
      await producer.connect();
      for (let batch = 0; batch < 10; batch++) {
        const messages = [];
        for (let i = 0; i < 100; i++) {
          const partition = i % 2;
          const value = `${batch}-${i}-` + 'x'.repeat(Math.floor(random() * 5000));
          sent.get(partition)!.push(value);
          messages.push({ partition, value });
        }
        await producer.send({ topic, messages });
      }
      await producer.disconnect();

      const [host, port] = broker().brokers[0]!.split(':');
      const proxyPort = await recuttingProxy({ host: host!, port: Number(port) });
      const kafka = new Kafka({
        brokers: broker().brokers,
        clientId: 'response-reader',
        logLevel: logLevel.NOTHING,
        // Every connection goes through the proxy, reading with the connection's `onread`.
        socketFactory: ({ onConnect, onread }) =>
          net.connect({ host: '127.0.0.1', port: proxyPort, ...(onread ? { onread } : {}) }, onConnect),
      });
      const consumer = kafka.consumer({ groupId: 'response-reader', maxBytesPerPartition: 64 * 1024 });
      const received = new Map<number, string[]>([
        [0, []],
        [1, []],
      ]);
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: [topic], fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          const deadline = setTimeout(
            () =>
              reject(
                new Error(
                  `not every record was consumed: ${received.get(0)!.length} + ${received.get(1)!.length}`,
                ),
              ),
            45000,
          );
          void consumer.run({
            eachMessage: async ({ partition, message }) => {
              received.get(partition)!.push(message.value!.toString());
              if (received.get(0)!.length + received.get(1)!.length === 1000) {
                clearTimeout(deadline);
                resolve();
              }
            },
          });
        });
      } finally {
        await consumer.disconnect();
      }
      expect(received.get(0)).toEqual(sent.get(0));
      expect(received.get(1)).toEqual(sent.get(1));
    });

    it('fails the requests of a connection whose response size is negative, naming it', async () => {
      const port = await listen((client) => {
        client.once('data', () => client.write(Buffer.from([0xff, 0xff, 0xff, 0xfe])));
        client.on('error', () => undefined);
      });
      const kafka = new Kafka({
        brokers: [`127.0.0.1:${port}`],
        clientId: 'response-reader-bad',
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
        requestTimeout: 20000,
      });
      const admin = kafka.admin();
      await expect(admin.connect()).rejects.toThrow('Connection error: Invalid response size -2');
      await admin.disconnect();
    });
  });
});
