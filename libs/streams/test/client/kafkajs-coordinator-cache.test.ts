/**
 * The patched kafkajs remembers the transaction coordinator of its transactional id and the group
 * coordinator of each consumer group it sends offsets for, as the Java client does: one
 * FindCoordinator each, not one before every AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit
 * and EndTxn. A coordinator that answers NOT_COORDINATOR / COORDINATOR_NOT_AVAILABLE, or whose
 * connection is lost, is looked up again and the request retried, and the transaction commits.
 *
 * Over TCP against the embedded broker, through a proxy in the test (kafkajs' `socketFactory`)
 * that counts the requests by API and can answer one request itself with a coordinator error.
 */
import * as net from 'node:net';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import {
  committedOffset,
  createTopics,
  sendOffset,
  transactionalProducer,
  useBroker,
} from '@gmart/test-support';

jest.setTimeout(60000);

const FIND_COORDINATOR = 10;
const ADD_PARTITIONS_TO_TXN = 24;
const ADD_OFFSETS_TO_TXN = 25;
const END_TXN = 26;
const TXN_OFFSET_COMMIT = 28;
const NOT_COORDINATOR = 16;
const COORDINATOR_NOT_AVAILABLE = 15;

/** A TCP proxy to the broker that counts requests by API key and can fail the next one of an API. */
class CountingProxy {
  readonly counts = new Map<number, number>();
  /** FindCoordinator keys, `<type>:<key>` (0 group, 1 transaction), in the order sent. */
  readonly lookups: string[] = [];
  private readonly failNext = new Map<number, (correlationId: number) => Buffer>();
  private readonly sockets = new Set<net.Socket>();
  private readonly server: net.Server;

  constructor(private readonly upstream: { host: string; port: number }) {
    this.server = net.createServer((client) => this.accept(client));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  count(apiKey: number): number {
    return this.counts.get(apiKey) ?? 0;
  }

  /** The next request of `apiKey` (a non-flexible version) is answered here with `errorCode`. */
  failOnce(apiKey: number, errorCode: number): void {
    this.failNext.set(apiKey, (correlationId) => {
      // Correlation id, throttle_time_ms, error_code.
      const response = Buffer.alloc(14);
      response.writeInt32BE(10, 0);
      response.writeInt32BE(correlationId, 4);
      response.writeInt32BE(0, 8);
      response.writeInt16BE(errorCode, 12);
      return response;
    });
  }

  /** The next TxnOffsetCommit (v3, flexible) is answered here with `errorCode` for partition 0 of `topic`. */
  failTxnOffsetCommitOnce(topic: string, errorCode: number): void {
    this.failNext.set(TXN_OFFSET_COMMIT, (correlationId) => {
      const name = Buffer.from(topic, 'utf8');
      const body = Buffer.alloc(22 + name.length);
      let at = body.writeInt32BE(0, 0); // header v1: correlation id (set below), tags
      at = body.writeUInt8(0, at);
      at = body.writeInt32BE(0, at); // throttle_time_ms
      at = body.writeUInt8(2, at); // one topic (compact array)
      at = body.writeUInt8(name.length + 1, at);
      at += name.copy(body, at);
      at = body.writeUInt8(2, at); // one partition
      at = body.writeInt32BE(0, at);
      at = body.writeInt16BE(errorCode, at);
      at = body.writeUInt8(0, at); // partition tags
      at = body.writeUInt8(0, at); // topic tags
      at = body.writeUInt8(0, at); // response tags
      body.writeInt32BE(correlationId, 0);
      const frame = Buffer.alloc(4 + at);
      frame.writeInt32BE(at, 0);
      body.copy(frame, 4, 0, at);
      return frame;
    });
  }

  /** Drops every connection (clients see the connection close). */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    const server = net.connect(this.upstream);
    this.sockets.add(client).add(server);
    const drop = () => {
      client.destroy();
      server.destroy();
      this.sockets.delete(client);
      this.sockets.delete(server);
    };
    client.on('error', drop).on('close', drop);
    server.on('error', drop).on('close', drop);
    server.on('data', (chunk) => client.write(chunk));
    let pending = Buffer.alloc(0);
    client.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const size = pending.readInt32BE(0);
        const frame = pending.subarray(0, 4 + size);
        pending = pending.subarray(4 + size);
        const apiKey = frame.readInt16BE(4);
        const correlationId = frame.readInt32BE(8);
        this.counts.set(apiKey, this.count(apiKey) + 1);
        if (apiKey === FIND_COORDINATOR) this.lookups.push(findCoordinatorKey(frame));
        const answer = this.failNext.get(apiKey);
        if (answer !== undefined) {
          this.failNext.delete(apiKey);
          client.write(answer(correlationId));
          continue;
        }
        server.write(frame);
      }
    });
  }
}

/** `<key_type>:<key>` of a FindCoordinator v1-v2 request (header v1: client id after the correlation id). */
function findCoordinatorKey(frame: Buffer): string {
  let at = 12;
  const clientIdLength = frame.readInt16BE(at);
  at += 2 + Math.max(clientIdLength, 0);
  const keyLength = frame.readInt16BE(at);
  const key = frame.toString('utf8', at + 2, at + 2 + keyLength);
  const type = frame.length > at + 2 + keyLength ? frame.readInt8(at + 2 + keyLength) : 0;
  return `${type}:${key}`;
}

describe('kafkajs coordinator cache (patch) against the embedded broker', () => {
  const broker = useBroker({ clientId: 'coord-cache' });
  let proxy: CountingProxy;
  let kafka: Kafka;
  let producer: Producer | undefined;

  beforeEach(async () => {
    const [host, port] = broker().brokers[0].split(':');
    proxy = new CountingProxy({ host, port: Number(port) });
    const proxyPort = await proxy.listen();
    kafka = new Kafka({
      brokers: broker().brokers,
      clientId: 'coord-cache',
      logLevel: logLevel.NOTHING,
      // Every connection (bootstrap and the broker it advertises) goes through the proxy.
      socketFactory: ({ onConnect }) => net.connect({ host: '127.0.0.1', port: proxyPort }, onConnect),
    });
  });

  afterEach(async () => {
    await producer?.disconnect();
    producer = undefined;
    await proxy.close();
  });

  /** One exactly-once commit cycle: a record to `topic`, its offset for `group`, EndTxn(commit). */
  async function commitCycle(p: Producer, topic: string, group: string, offset: number): Promise<void> {
    const txn = await p.transaction();
    await txn.send({ topic, messages: [{ value: `v${offset}` }] });
    await sendOffset(txn, group, `${topic}-in`, offset);
    await txn.commit();
  }

  async function committedValues(topic: string): Promise<string[]> {
    const consumer = broker().kafka.consumer({ groupId: `${topic}-reader`, readUncommitted: false });
    const values: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const admin = broker().kafka.admin();
    await admin.connect();
    const end = Number((await admin.fetchTopicOffsets(topic))[0].high);
    await admin.disconnect();
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`read ${values.length} committed values`)), 30000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          values.push(message.value!.toString());
          // Control records (commit markers) take offsets too: stop once past the last data record.
          if (Number(message.offset) >= end - 2) {
            clearTimeout(deadline);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();
    return values;
  }

  it('sends FindCoordinator only in the first commit cycle, once per coordinator', async () => {
    await createTopics(broker().kafka, [{ topic: 'cc-out' }, { topic: 'cc-out-in' }]);
    producer = await transactionalProducer(kafka, 'cc-txn');
    const cycles = 8;
    await commitCycle(producer, 'cc-out', 'cc-group', 1);
    const afterFirst = proxy.count(FIND_COORDINATOR);
    // The first cycle: the transaction coordinator (InitProducerId) and the group coordinator.
    expect(proxy.lookups).toEqual(expect.arrayContaining(['1:cc-txn', '0:cc-group']));
    expect(proxy.lookups.filter((k) => k === '1:cc-txn')).toHaveLength(1);
    expect(proxy.lookups.filter((k) => k === '0:cc-group')).toHaveLength(1);
    for (let offset = 2; offset <= cycles; offset++)
      await commitCycle(producer, 'cc-out', 'cc-group', offset);

    expect(proxy.count(FIND_COORDINATOR)).toBe(afterFirst);
    expect(proxy.count(ADD_PARTITIONS_TO_TXN)).toBe(cycles);
    expect(proxy.count(ADD_OFFSETS_TO_TXN)).toBe(cycles);
    expect(proxy.count(TXN_OFFSET_COMMIT)).toBe(cycles);
    expect(proxy.count(END_TXN)).toBe(cycles);
    expect(await committedOffset(broker().kafka, 'cc-group', 'cc-out-in')).toBe(cycles);
    expect(await committedValues('cc-out')).toEqual(Array.from({ length: cycles }, (_, i) => `v${i + 1}`));
  });

  it.each([
    ['EndTxn', 'NOT_COORDINATOR', END_TXN, NOT_COORDINATOR],
    ['EndTxn', 'COORDINATOR_NOT_AVAILABLE', END_TXN, COORDINATOR_NOT_AVAILABLE],
    ['AddOffsetsToTxn', 'NOT_COORDINATOR', ADD_OFFSETS_TO_TXN, NOT_COORDINATOR],
  ])(
    'looks the transaction coordinator up again after %s answers %s, retries, and commits',
    async (_name, _error, apiKey, errorCode) => {
      const topic = `cc-moved-${apiKey}-${errorCode}`;
      await createTopics(broker().kafka, [{ topic }, { topic: `${topic}-in` }]);
      producer = await transactionalProducer(kafka, `${topic}-txn`);
      await commitCycle(producer, topic, `${topic}-group`, 1);
      const lookups = proxy.lookups.length;
      const sent = proxy.count(apiKey);

      proxy.failOnce(apiKey, errorCode);
      await commitCycle(producer, topic, `${topic}-group`, 2);
      // The failed request and its retry; one new lookup, of the transaction coordinator only.
      expect(proxy.count(apiKey)).toBe(sent + 2);
      expect(proxy.lookups.slice(lookups)).toEqual([`1:${topic}-txn`]);

      // Remembered again: the next cycle looks nothing up.
      await commitCycle(producer, topic, `${topic}-group`, 3);
      expect(proxy.lookups.length).toBe(lookups + 1);
      expect(await committedOffset(broker().kafka, `${topic}-group`, `${topic}-in`)).toBe(3);
      expect(await committedValues(topic)).toEqual(['v1', 'v2', 'v3']);
    },
  );

  it('looks the group coordinator up again after TxnOffsetCommit answers NOT_COORDINATOR, retries, and commits', async () => {
    await createTopics(broker().kafka, [{ topic: 'cc-group-moved' }, { topic: 'cc-group-moved-in' }]);
    producer = await transactionalProducer(kafka, 'cc-group-moved-txn');
    await commitCycle(producer, 'cc-group-moved', 'cc-group-moved-group', 1);
    const lookups = proxy.lookups.length;
    const sent = proxy.count(TXN_OFFSET_COMMIT);

    proxy.failTxnOffsetCommitOnce('cc-group-moved-in', NOT_COORDINATOR);
    await commitCycle(producer, 'cc-group-moved', 'cc-group-moved-group', 2);
    expect(proxy.count(TXN_OFFSET_COMMIT)).toBe(sent + 2);
    expect(proxy.lookups.slice(lookups)).toEqual(['0:cc-group-moved-group']);

    await commitCycle(producer, 'cc-group-moved', 'cc-group-moved-group', 3);
    expect(proxy.lookups.length).toBe(lookups + 1);
    expect(await committedOffset(broker().kafka, 'cc-group-moved-group', 'cc-group-moved-in')).toBe(3);
    expect(await committedValues('cc-group-moved')).toEqual(['v1', 'v2', 'v3']);
  });

  it('commits after the connections are lost, looking each coordinator up at most once', async () => {
    await createTopics(broker().kafka, [{ topic: 'cc-lost' }, { topic: 'cc-lost-in' }]);
    producer = await transactionalProducer(kafka, 'cc-lost-txn');
    await commitCycle(producer, 'cc-lost', 'cc-lost-group', 1);
    const lookups = proxy.lookups.length;

    proxy.dropConnections();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await commitCycle(producer, 'cc-lost', 'cc-lost-group', 2);
    // The producer's send reconnects the (single) broker first; a coordinator whose connection is
    // still down when it is next used is looked up again.
    const again = proxy.lookups.slice(lookups);
    expect(new Set(again).size).toBe(again.length);
    expect(again.every((k) => k === '0:cc-lost-group' || k === '1:cc-lost-txn')).toBe(true);

    await commitCycle(producer, 'cc-lost', 'cc-lost-group', 3);
    expect(proxy.lookups.length).toBe(lookups + again.length);
    expect(await committedOffset(broker().kafka, 'cc-lost-group', 'cc-lost-in')).toBe(3);
    expect(await committedValues('cc-lost')).toEqual(['v1', 'v2', 'v3']);
  });
});
