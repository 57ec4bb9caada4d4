/**
 * The admin and offset APIs' newer versions on the wire, through a raw TCP
 * client: ListOffsets v4-v9, CreateTopics v5-v7, DescribeConfigs v3-v4,
 * CreatePartitions v2, DeleteRecords v2, AlterConfigs v2, InitProducerId v2-v5
 * and DeleteTopics v4-v6, each response decoded field by field.
 */
import { EmbeddedKafka } from '../../src';
import type { Decoder } from '../../src/protocol/decoder';
import type { Encoder } from '../../src/protocol/encoder';
import { ErrorCode } from '../../src/protocol/error-codes';
import { RawClient } from '../helpers/raw-client';
import { buildBatch } from '../helpers/record-batch-builder';

const flexible = { flexible: true };
const ZERO = '0'.repeat(32);

/** CreateTopics v5+ body for one topic. */
const createV5 =
  (name: string, partitions: number, configs: [string, string][], validateOnly = false) =>
  (e: Encoder) => {
    e.writeCompactArray([name], (x, n) => {
      x.writeCompactString(n).writeInt32(partitions).writeInt16(1);
      x.writeCompactArray([], () => {});
      x.writeCompactArray(configs, (y, [k, v]) =>
        y.writeCompactString(k).writeCompactNullableString(v).writeTaggedFields(),
      );
      x.writeTaggedFields();
    });
    e.writeInt32(30000).writeBoolean(validateOnly).writeTaggedFields();
  };

function readCreateV7(d: Decoder) {
  d.readInt32();
  const topics = d.readCompactArray((x) => {
    const t = {
      name: x.readCompactString(),
      topicId: x.readUuid(),
      errorCode: x.readInt16(),
      errorMessage: x.readCompactNullableString(),
      numPartitions: x.readInt32(),
      replicationFactor: x.readInt16(),
      configs: x.readCompactNullableArray((y) => {
        const c = {
          name: y.readCompactString(),
          value: y.readCompactNullableString(),
          readOnly: y.readBoolean(),
          source: y.readInt8(),
          sensitive: y.readBoolean(),
        };
        y.readTaggedFields();
        return c;
      }),
    };
    x.readTaggedFields();
    return t;
  });
  d.readTaggedFields();
  expect(d.remaining()).toBe(0);
  return topics;
}

describe('admin and offset APIs, newer versions on the wire', () => {
  let broker: EmbeddedKafka;
  let client: RawClient;
  let t0: number;

  beforeAll(async () => {
    broker = await EmbeddedKafka.start({ port: 0 });
    client = await RawClient.connect(broker.bootstrapServers);
  });

  afterAll(async () => {
    client.close();
    await broker.stop();
  });

  it('CreateTopics v7 answers the topic id, partition count and configs; validate_only creates nothing', async () => {
    const dry = readCreateV7(
      await client.request(19, 7, createV5('adm', 3, [['retention.ms', '1234']], true), flexible),
    );
    expect(dry[0]).toMatchObject({
      name: 'adm',
      topicId: ZERO,
      errorCode: 0,
      numPartitions: 3,
      replicationFactor: 1,
    });
    expect(broker.logManager.topic('adm')).toBeUndefined();
    const [created] = readCreateV7(
      await client.request(19, 7, createV5('adm', 3, [['retention.ms', '1234']]), flexible),
    );
    expect(created).toMatchObject({
      name: 'adm',
      errorCode: 0,
      errorMessage: null,
      numPartitions: 3,
      replicationFactor: 1,
    });
    expect(created!.topicId).toBe(broker.logManager.topic('adm')!.topicId);
    expect(created!.configs).toContainEqual({
      name: 'retention.ms',
      value: '1234',
      readOnly: false,
      source: 1,
      sensitive: false,
    });
    const [again] = readCreateV7(await client.request(19, 7, createV5('adm', 3, []), flexible));
    expect([again!.errorCode, again!.numPartitions, again!.configs, again!.topicId]).toEqual([
      ErrorCode.TOPIC_ALREADY_EXISTS,
      -1,
      null,
      ZERO,
    ]);
  });

  it('ListOffsets v6-v9: earliest, latest, by timestamp, max timestamp (v7), earliest local (v8), latest tiered (v9)', async () => {
    t0 = Date.now() - 10_000;
    // three batches in partition 0 with timestamps t0+5, t0+1, t0+9: the max is in the last one
    for (const ts of [5, 1, 9]) {
      const batch = buildBatch({ records: [{ key: 'k', value: 'v' }], timestamp: t0 + ts });
      await client.request(0, 3, (e) => {
        e.writeNullableString(null).writeInt16(-1).writeInt32(30000);
        e.writeInt32(1).writeString('adm').writeInt32(1).writeInt32(0).writeBytes(batch);
      });
    }
    const list = async (version: number, timestamp: number) => {
      const d = await client.request(
        2,
        version,
        (e) => {
          e.writeInt32(-1).writeInt8(0);
          e.writeCompactArray(['adm'], (x, t) => {
            x.writeCompactString(t);
            x.writeCompactArray([0], (y, p) =>
              y.writeInt32(p).writeInt32(-1).writeInt64(timestamp).writeTaggedFields(),
            );
            x.writeTaggedFields();
          });
          e.writeTaggedFields();
        },
        flexible,
      );
      d.readInt32();
      const [[p]] = d.readCompactArray((x) => {
        x.readCompactString();
        const ps = x.readCompactArray((y) => {
          const r = {
            partition: y.readInt32(),
            errorCode: y.readInt16(),
            timestamp: y.readInt64(),
            offset: y.readInt64(),
            leaderEpoch: y.readInt32(),
          };
          y.readTaggedFields();
          return r;
        });
        x.readTaggedFields();
        return [ps[0]];
      }) as [
        [{ partition: number; errorCode: number; timestamp: number; offset: number; leaderEpoch: number }],
      ];
      d.readTaggedFields();
      expect(d.remaining()).toBe(0);
      return p;
    };
    expect(await list(6, -2)).toEqual({
      partition: 0,
      errorCode: 0,
      timestamp: -1,
      offset: 0,
      leaderEpoch: 0,
    });
    expect(await list(6, -1)).toMatchObject({ offset: 3, leaderEpoch: 0 });
    expect(await list(6, t0 + 6)).toEqual({
      partition: 0,
      errorCode: 0,
      timestamp: t0 + 9,
      offset: 2,
      leaderEpoch: 0,
    });
    expect(await list(7, -3)).toEqual({
      partition: 0,
      errorCode: 0,
      timestamp: t0 + 9,
      offset: 2,
      leaderEpoch: 0,
    });
    expect(await list(8, -4)).toMatchObject({ offset: 0 });
    expect(await list(9, -5)).toMatchObject({ offset: -1, leaderEpoch: -1 });

    // v4 (non-flexible) carries the leader epoch too
    const d = await client.request(2, 4, (e) => {
      e.writeInt32(-1)
        .writeInt8(0)
        .writeInt32(1)
        .writeString('adm')
        .writeInt32(1)
        .writeInt32(0)
        .writeInt32(-1)
        .writeInt64(-1);
    });
    d.readInt32();
    d.readInt32();
    expect(d.readString()).toBe('adm');
    d.readInt32();
    expect([d.readInt32(), d.readInt16(), d.readInt64(), d.readInt64(), d.readInt32()]).toEqual([
      0, 0, -1, 3, 0,
    ]);
    expect(d.remaining()).toBe(0);
  });

  it('DescribeConfigs v4 and AlterConfigs v2 read and replace a topic override', async () => {
    const alter = await client.request(
      33,
      2,
      (e) => {
        e.writeCompactArray(['adm'], (x, n) => {
          x.writeInt8(2).writeCompactString(n);
          x.writeCompactArray([['cleanup.policy', 'compact']], (y, [k, v]) =>
            y.writeCompactString(k!).writeCompactNullableString(v!).writeTaggedFields(),
          );
          x.writeTaggedFields();
        });
        e.writeBoolean(false).writeTaggedFields();
      },
      flexible,
    );
    alter.readInt32();
    expect(
      alter.readCompactArray((x) => [
        x.readInt16(),
        x.readCompactNullableString(),
        x.readInt8(),
        x.readCompactString(),
        x.readTaggedFields().size,
      ]),
    ).toEqual([[0, null, 2, 'adm', 0]]);
    const d = await client.request(
      32,
      4,
      (e) => {
        e.writeCompactArray(['adm'], (x, n) =>
          x
            .writeInt8(2)
            .writeCompactString(n)
            .writeCompactNullableArray(['cleanup.policy', 'retention.ms'], (y, k) => y.writeCompactString(k))
            .writeTaggedFields(),
        );
        e.writeBoolean(true).writeBoolean(true).writeTaggedFields();
      },
      flexible,
    );
    d.readInt32();
    const [res] = d.readCompactArray((x) => {
      const r = {
        errorCode: x.readInt16(),
        errorMessage: x.readCompactNullableString(),
        type: x.readInt8(),
        name: x.readCompactString(),
        configs: x.readCompactArray((y) => {
          const c = {
            name: y.readCompactString(),
            value: y.readCompactNullableString(),
            readOnly: y.readBoolean(),
            source: y.readInt8(),
            sensitive: y.readBoolean(),
            synonyms: y.readCompactArray((z) => [
              z.readCompactString(),
              z.readCompactNullableString(),
              z.readInt8(),
              z.readTaggedFields().size,
            ]),
            configType: y.readInt8(),
            doc: y.readCompactNullableString(),
          };
          y.readTaggedFields();
          return c;
        }),
      };
      x.readTaggedFields();
      return r;
    });
    d.readTaggedFields();
    expect(d.remaining()).toBe(0);
    // AlterConfigs replaces every override: retention.ms is back to its default
    expect(res!.configs.map((c) => [c.name, c.value, c.source, c.synonyms.length, c.doc])).toEqual([
      ['cleanup.policy', 'compact', 1, 1, null],
      ['retention.ms', '604800000', 5, 1, null],
    ]);
  });

  it('CreatePartitions v2 grows the topic, DeleteRecords v2 moves the log start', async () => {
    const cp = await client.request(
      37,
      2,
      (e) => {
        e.writeCompactArray(['adm'], (x, n) =>
          x
            .writeCompactString(n)
            .writeInt32(4)
            .writeCompactNullableArray(null, () => {})
            .writeTaggedFields(),
        );
        e.writeInt32(30000).writeBoolean(false).writeTaggedFields();
      },
      flexible,
    );
    cp.readInt32();
    expect(
      cp.readCompactArray((x) => [
        x.readCompactString(),
        x.readInt16(),
        x.readCompactNullableString(),
        x.readTaggedFields().size,
      ]),
    ).toEqual([['adm', 0, null, 0]]);
    expect(broker.logManager.topic('adm')!.partitionCount).toBe(4);

    const dr = await client.request(
      21,
      2,
      (e) => {
        e.writeCompactArray(['adm'], (x, n) => {
          x.writeCompactString(n);
          x.writeCompactArray([0], (y, p) => y.writeInt32(p).writeInt64(2).writeTaggedFields());
          x.writeTaggedFields();
        });
        e.writeInt32(30000).writeTaggedFields();
      },
      flexible,
    );
    dr.readInt32();
    expect(
      dr.readCompactArray((x) => [
        x.readCompactString(),
        x.readCompactArray((y) => [y.readInt32(), y.readInt64(), y.readInt16(), y.readTaggedFields().size]),
        x.readTaggedFields().size,
      ]),
    ).toEqual([['adm', [[0, 2, 0, 0]], 0]]);
    expect(broker.logManager.partition('adm', 0)!.logStartOffset).toBe(2);
  });

  it.each([2, 3, 5])('InitProducerId v%i hands out a fresh producer id each time', async (v) => {
    const ask = async () => {
      const d = await client.request(
        22,
        v,
        (e) => {
          e.writeCompactNullableString(null).writeInt32(60000);
          if (v >= 3) e.writeInt64(-1).writeInt16(-1);
          e.writeTaggedFields();
        },
        flexible,
      );
      const r = [d.readInt32(), d.readInt16(), d.readInt64(), d.readInt16()];
      d.readTaggedFields();
      expect(d.remaining()).toBe(0);
      return r;
    };
    const a = await ask();
    const b = await ask();
    expect([a[1], a[3], b[1], b[3]]).toEqual([0, 0, 0, 0]);
    expect(b[2]).toBeGreaterThan(a[2]!);
  });

  it('DeleteTopics v6 deletes by id and answers UNKNOWN_TOPIC_ID for an unknown one; v5 by name with an error message slot', async () => {
    const id = broker.logManager.topic('adm')!.topicId;
    const unknown = 'ab'.repeat(16);
    const d = await client.request(
      20,
      6,
      (e) => {
        e.writeCompactArray([id, unknown], (x, t) =>
          x.writeCompactNullableString(null).writeUuid(t).writeTaggedFields(),
        );
        e.writeInt32(30000).writeTaggedFields();
      },
      flexible,
    );
    d.readInt32();
    expect(
      d.readCompactArray((x) => [
        x.readCompactNullableString(),
        x.readUuid(),
        x.readInt16(),
        x.readCompactNullableString(),
        x.readTaggedFields().size,
      ]),
    ).toEqual([
      ['adm', id, 0, null, 0],
      [null, unknown, ErrorCode.UNKNOWN_TOPIC_ID, null, 0],
    ]);
    expect(broker.logManager.topic('adm')).toBeUndefined();

    const v5 = await client.request(
      20,
      5,
      (e) => e.writeCompactStringArray(['adm']).writeInt32(30000).writeTaggedFields(),
      flexible,
    );
    v5.readInt32();
    expect(
      v5.readCompactArray((x) => [
        x.readCompactString(),
        x.readInt16(),
        x.readCompactNullableString(),
        x.readTaggedFields().size,
      ]),
    ).toEqual([['adm', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, null, 0]]);
  });
});
