import * as net from 'node:net';
import { MongoClient } from 'mongodb';
import { retryOnAddressInUse, startBroker, startMongo, tempDir } from '../src';

/** Holds `port` with a plain listener, as a process that took the freed port, or a slow close, would. */
function hold(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
}

const release = (s: net.Server) => new Promise<void>((r) => s.close(() => r()));

function addressInUse(): Error {
  return new Error('port taken', {
    cause: Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' }),
  });
}

describe('retryOnAddressInUse', () => {
  it('retries only address-in-use failures, a bounded number of times, and returns the first success', async () => {
    let calls = 0;
    const flaky = () => (++calls < 3 ? Promise.reject(addressInUse()) : Promise.resolve('up'));
    await expect(retryOnAddressInUse(flaky, { delayMs: 1 })).resolves.toBe('up');
    expect(calls).toBe(3);

    calls = 0;
    const always = () => (++calls, Promise.reject(addressInUse()));
    await expect(retryOnAddressInUse(always, { attempts: 4, delayMs: 1 })).rejects.toThrow('port taken');
    expect(calls).toBe(4);

    calls = 0;
    const other = () => (++calls, Promise.reject(new Error('bad config')));
    await expect(retryOnAddressInUse(other, { attempts: 4, delayMs: 1 })).rejects.toThrow('bad config');
    expect(calls).toBe(1);
  });
});

describe('restarting a server on its remembered port while the port is still taken', () => {
  it('the broker retries, binds the same port once it is free and serves its data again', async () => {
    const dataDir = tempDir('restart-broker');
    const first = await startBroker({ dataDir });
    const port = first.broker.port;
    const admin = first.kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'kept', numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
    await first.broker.stop();

    const blocker = await hold(port);
    const failed: number[] = [];
    const second = await startBroker({
      dataDir,
      port,
      // The first failure frees the port: the restart must have retried to succeed.
      addressInUse: { delayMs: 10, onRetry: (n) => failed.push(n) === 1 && void release(blocker) },
    });
    try {
      expect(failed.length).toBeGreaterThanOrEqual(1);
      expect(second.broker.port).toBe(port);
      const a = second.kafka.admin();
      await a.connect();
      const meta = await a.fetchTopicMetadata({ topics: ['kept'] });
      await a.disconnect();
      expect(meta.topics[0].partitions).toHaveLength(2);
    } finally {
      await second.broker.stop();
    }
  });

  it('the broker gives up after the bounded attempts with the address-in-use error', async () => {
    const first = await startBroker();
    const port = first.broker.port;
    await first.broker.stop();
    const blocker = await hold(port);
    const failed: number[] = [];
    try {
      await expect(
        startBroker({ port, addressInUse: { attempts: 3, delayMs: 5, onRetry: (n) => failed.push(n) } }),
      ).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
      expect(failed).toEqual([1, 2]);
    } finally {
      await release(blocker);
    }
  });

  it('MongoDB retries, binds the same port once it is free and serves its data again', async () => {
    const dataDir = tempDir('restart-mongo');
    const first = await startMongo(dataDir);
    const port = first.port;
    const client = await MongoClient.connect(first.uri, { serverSelectionTimeoutMS: 15_000 });
    try {
      await client.db('t').collection<{ _id: string }>('c').insertOne({ _id: 'before' });
      await first.stop();
      const blocker = await hold(port);
      const failed: number[] = [];
      const second = await startMongo(dataDir, port, {
        addressInUse: { delayMs: 10, onRetry: (n) => failed.push(n) === 1 && void release(blocker) },
      });
      try {
        expect(failed.length).toBeGreaterThanOrEqual(1);
        expect(second.port).toBe(port);
        // The same client (same address) reaches the restarted server.
        const docs = await client.db('t').collection('c').find().toArray();
        expect(docs).toEqual([{ _id: 'before' }]);
      } finally {
        await second.stop();
      }
    } finally {
      await client.close();
    }
  });
});
