"""confluent-kafka (librdkafka) consumer-group round trip against the embedded broker.

Usage: python3 confluent_round_trip.py <bootstrap> <topic> <group> <count>
Produces <count> records, consumes them in <group>, commits synchronously, closes,
then a second consumer of the group reads the committed offsets back. Prints one
JSON line with what it saw; exits non-zero on any error.
"""
import json
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition

bootstrap, topic, group, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

errors = []
producer = Producer({"bootstrap.servers": bootstrap, "acks": "all"})
for i in range(count):
    producer.produce(topic, key=f"k{i}".encode(), value=f"py-{i}".encode(),
                     on_delivery=lambda err, msg: errors.append(str(err)) if err else None)
producer.flush(30)
if errors:
    raise SystemExit(f"produce failed: {errors}")

consumer = Consumer({
    "bootstrap.servers": bootstrap,
    "group.id": group,
    "auto.offset.reset": "earliest",
    "enable.auto.commit": False,
    "session.timeout.ms": 10000,
})
consumer.subscribe([topic])
values = []
deadline = time.time() + 60
while len(values) < count and time.time() < deadline:
    msg = consumer.poll(0.5)
    if msg is None:
        continue
    if msg.error():
        raise SystemExit(f"consume failed: {msg.error()}")
    values.append(msg.value().decode())
assignment = [tp.partition for tp in consumer.assignment()]
consumer.commit(asynchronous=False)
consumer.close()

reader = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False})
partitions = sorted(assignment)
committed = reader.committed([TopicPartition(topic, p) for p in partitions], timeout=30)
reader.close()
print(json.dumps({
    "values": values,
    "assignment": partitions,
    "committed": {str(tp.partition): tp.offset for tp in committed},
    "errors": [str(tp.error) for tp in committed if tp.error],
}))
