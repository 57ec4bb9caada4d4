/**
 * KIP-447 over the wire: TxnOffsetCommit v3 carries the consumer's group
 * metadata, which the broker checks against the group; OffsetFetch with
 * requireStable answers UNSTABLE_OFFSET_COMMIT while a transaction stages offsets.
 */
import { EmbeddedKafka } from '../../src';
import type { Decoder } from '../../src/protocol/decoder';
import { kafkaFor, tempDir } from '../helpers/broker';
import { RawClient } from '../helpers/raw-client';
import { waitFor } from './txn-support';

jest.setTimeout(60000);

const ILLEGAL_GENERATION = 22;
const UNKNOWN_MEMBER_ID = 25;
const UNSTABLE_OFFSET_COMMIT = 88;

describe('TxnOffsetCommit v3 (KIP-447)', () => {
  let broker: EmbeddedKafka;
  let raw: RawClient;

  beforeAll(async () => {
    broker = await EmbeddedKafka.start({
      port: 0,
      dataDir: tempDir('ek-txn-447-'),
      groupInitialRebalanceDelayMs: 0,
    });
    raw = await RawClient.connect(broker.bootstrapServers);
  });

  afterAll(async () => {
    raw.socket.destroy();
    await broker.stop();
  });

  const txnOffsetCommit = async (pid: number, epoch: number, generationId: number, memberId: string) => {
    const d = await raw.request(
      28,
      3,
      (e) => {
        e.writeCompactString('tx-447').writeCompactString('g447').writeInt64(pid).writeInt16(epoch);
        e.writeInt32(generationId).writeCompactString(memberId).writeCompactNullableString(null);
        e.writeCompactArray(['in447'], (x, t) => {
          x.writeCompactString(t);
          x.writeCompactArray([0], (y, p) =>
            y.writeInt32(p).writeInt64(5).writeInt32(-1).writeCompactNullableString(null).writeTaggedFields(),
          );
          x.writeTaggedFields();
        });
        e.writeTaggedFields();
      },
      { flexible: true },
    );
    d.readInt32();
    const codes: number[] = [];
    d.readCompactArray((x) => {
      x.readCompactString();
      x.readCompactArray((y) => {
        y.readInt32();
        codes.push(y.readInt16());
        y.readTaggedFields();
      });
      x.readTaggedFields();
    });
    return codes[0];
  };

  const offsetFetchStable = async (): Promise<{ offset: number; error: number }> => {
    const d: Decoder = await raw.request(
      9,
      7,
      (e) => {
        e.writeCompactString('g447');
        e.writeCompactArray(['in447'], (x, t) =>
          x.writeCompactString(t).writeCompactInt32Array([0]).writeTaggedFields(),
        );
        e.writeBoolean(true).writeTaggedFields();
      },
      { flexible: true },
    );
    d.readInt32();
    let out = { offset: 0, error: 0 };
    d.readCompactArray((x) => {
      x.readCompactString();
      x.readCompactArray((y) => {
        y.readInt32();
        const offset = y.readInt64();
        y.readInt32();
        y.readCompactNullableString();
        out = { offset, error: y.readInt16() };
        y.readTaggedFields();
      });
      x.readTaggedFields();
    });
    return out;
  };

  it('refuses a stale generation and an unknown member, accepts the current member, and reports staged offsets as unstable', async () => {
    const kafka = kafkaFor(broker.bootstrapServers, 'kip447');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'in447', numPartitions: 1 }] });
    const consumer = kafka.consumer({ groupId: 'g447' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'in447' });
    let memberId = '';
    let generationId = -1;
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      memberId = e.payload.memberId;
      generationId = (e.payload as unknown as { groupId: string; generationId?: number }).generationId ?? -1;
    });
    await consumer.run({ eachMessage: async () => {} });
    await waitFor(() => memberId !== '', 'the consumer to join');
    if (generationId < 0) generationId = 1;

    // InitProducerId v0 and AddOffsetsToTxn v0 for the transactional id.
    const init = await raw.request(22, 0, (e) => e.writeNullableString('tx-447').writeInt32(60000));
    init.readInt32();
    expect(init.readInt16()).toBe(0);
    const pid = init.readInt64();
    const epoch = init.readInt16();
    const add = await raw.request(25, 0, (e) =>
      e.writeString('tx-447').writeInt64(pid).writeInt16(epoch).writeString('g447'),
    );
    add.readInt32();
    expect(add.readInt16()).toBe(0);

    expect(await txnOffsetCommit(pid, epoch, generationId + 7, memberId)).toBe(ILLEGAL_GENERATION);
    expect(await txnOffsetCommit(pid, epoch, generationId, 'not-a-member')).toBe(UNKNOWN_MEMBER_ID);
    expect(await txnOffsetCommit(pid, epoch, generationId, memberId)).toBe(0);
    expect(await offsetFetchStable()).toEqual({ offset: -1, error: UNSTABLE_OFFSET_COMMIT });

    const end = await raw.request(26, 0, (e) =>
      e.writeString('tx-447').writeInt64(pid).writeInt16(epoch).writeBoolean(true),
    );
    end.readInt32();
    expect(end.readInt16()).toBe(0);
    expect(await offsetFetchStable()).toEqual({ offset: 5, error: 0 });
    await consumer.disconnect();
    await admin.disconnect();
  });
});
