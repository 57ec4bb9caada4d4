"""confluent-kafka (librdkafka) transactional consume-transform-produce against the embedded broker.

Usage: python3 confluent_transactions.py <bootstrap> <input> <output> <group> <count>
Produces <count> records to <input>; a read_committed consumer of <group> reads them; a
transactional producer writes one output record per input record and commits the consumer's
positions with its group metadata (KIP-447: send_offsets_to_transaction with
consumer_group_metadata()) in the same transaction; then a second transaction writes 5 records
and aborts. Prints one JSON line; exits non-zero on any error.
"""
import json
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition

bootstrap, src, dst, group, count = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])

plain = Producer({"bootstrap.servers": bootstrap, "acks": "all"})
for i in range(count):
    plain.produce(src, key=f"k{i}".encode(), value=f"in-{i}".encode())
if plain.flush(30) != 0:
    raise SystemExit("plain produce did not complete")

consumer = Consumer({
    "bootstrap.servers": bootstrap,
    "group.id": group,
    "auto.offset.reset": "earliest",
    "enable.auto.commit": False,
    "isolation.level": "read_committed",
    "session.timeout.ms": 10000,
})
consumer.subscribe([src])
producer = Producer({"bootstrap.servers": bootstrap, "transactional.id": f"{group}-tx"})
producer.init_transactions(30)

seen = []
deadline = time.time() + 60
while len(seen) < count and time.time() < deadline:
    msg = consumer.poll(0.5)
    if msg is None:
        continue
    if msg.error():
        raise SystemExit(f"consume failed: {msg.error()}")
    seen.append(msg)
if len(seen) < count:
    raise SystemExit(f"consumed only {len(seen)} of {count}")

producer.begin_transaction()
for m in seen:
    producer.produce(dst, key=m.key(), value=b"out-" + m.value())
positions = consumer.position(consumer.assignment())
producer.send_offsets_to_transaction(positions, consumer.consumer_group_metadata(), 30)
producer.commit_transaction(30)

producer.begin_transaction()
for i in range(5):
    producer.produce(dst, key=b"x", value=f"aborted-{i}".encode())
producer.flush(30)
producer.abort_transaction(30)

committed = consumer.committed(consumer.assignment(), 30)
consumer.close()
print(json.dumps({
    "consumed": len(seen),
    "committed": {str(tp.partition): tp.offset for tp in committed},
}))
