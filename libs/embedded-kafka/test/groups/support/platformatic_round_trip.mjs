/* global process, console */
// @platformatic/kafka (ESM-only, Node >= 22.22) against the embedded broker, in its own process:
// admin, produce with each codec, a consumer group that commits, then the committed offsets and the
// group as the admin API reads them. Prints one JSON line with what it saw; the test asserts on it.
import { Admin, Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';

const [bootstrap, topic, group] = process.argv.slice(2);
const brokers = [bootstrap];
const codecs = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
const perCodec = 20;
const out = {};

const admin = new Admin({ clientId: 'plt-admin', bootstrapBrokers: brokers });
const created = await admin.createTopics({ topics: [topic], partitions: 3, replicas: 1 });
out.created = created.map((t) => ({ name: t.name, partitions: t.partitions, id: t.id }));
const md = await admin.metadata({ topics: [topic] });
out.metadata = { partitions: md.topics.get(topic).partitionsCount, id: md.topics.get(topic).id };

const producer = new Producer({
  clientId: 'plt-producer',
  bootstrapBrokers: brokers,
  serializers: stringSerializers,
});
for (const compression of codecs) {
  const messages = [];
  for (let i = 0; i < perCodec; i++)
    messages.push({ topic, key: `${compression}-${i}`, value: `v-${compression}-${i}`, partition: i % 3 });
  await producer.send({ messages, compression });
}
await producer.close();

const consumer = new Consumer({
  groupId: group,
  clientId: 'plt-consumer',
  groupInstanceId: 'plt-instance-0',
  bootstrapBrokers: brokers,
  deserializers: stringDeserializers,
});
const stream = await consumer.consume({
  topics: [topic],
  mode: 'earliest',
  autocommit: false,
  sessionTimeout: 10000,
  heartbeatInterval: 500,
});
const seen = [];
for await (const m of stream) {
  seen.push(`${m.key}=${m.value}`);
  await m.commit();
  if (seen.length === codecs.length * perCodec) break;
}
out.consumed = seen.sort();
const described = await admin.describeGroups({ groups: [group] });
const g = described.get(group);
out.group = {
  state: g.state,
  protocolType: g.protocolType,
  members: [...g.members.values()].map((m) => m.groupInstanceId),
};
await stream.close();
await consumer.close();

const offsets = await admin.listConsumerGroupOffsets({ groups: [group] });
out.committed = offsets[0].topics
  .flatMap((t) => t.partitions.map((p) => [t.name, p.partitionIndex, Number(p.committedOffset)]))
  .sort((a, b) => a[1] - b[1]);
await admin.deleteTopics({ topics: [topic] });
out.afterDelete = (await admin.listTopics()).includes(topic);
await admin.close();
console.log(JSON.stringify(out));
