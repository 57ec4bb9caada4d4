"""python3-confluent-kafka (librdkafka) against the embedded broker, for exactly-once.interop.test.ts.

Usage:
  python3 confluent_eos.py produce <bootstrap> <topic> <transactional.id> <per-txn> <txns>
      A transactional producer writes <txns> transactions of <per-txn> records (keys k0..k9,
      round-robin), aborting every third starting with the second (1, 4, ...), and prints the
      committed records as one JSON line: [[key, value], ...].
  python3 confluent_eos.py read <bootstrap> <topic> <isolation.level>
      Reads every partition of <topic> from the beginning to its end offset (assigned, no group
      commits) and prints what it got as one JSON line: [[key, value], ...].
Exits non-zero on any error.
"""
import json
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition


def produce(bootstrap, topic, txn_id, per_txn, txns):
    producer = Producer({"bootstrap.servers": bootstrap, "transactional.id": txn_id})
    producer.init_transactions(30)
    committed = []
    n = 0
    for t in range(txns):
        aborted = t % 3 == 1
        producer.begin_transaction()
        batch = []
        for _ in range(per_txn):
            key = f"k{n % 10}"
            value = f"py-{n}" + ("-aborted" if aborted else "")
            n += 1
            producer.produce(topic, key=key.encode(), value=value.encode())
            batch.append([key, value])
        if aborted:
            producer.flush(30)
            producer.abort_transaction(30)
        else:
            producer.commit_transaction(30)
            committed.extend(batch)
    print(json.dumps(committed))


def read(bootstrap, topic, isolation):
    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": f"py-reader-{time.time()}",
        "enable.auto.commit": False,
        "isolation.level": isolation,
    })
    md = consumer.list_topics(topic, timeout=30)
    partitions = sorted(md.topics[topic].partitions)
    ends = {}
    for p in partitions:
        _, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=30, cached=False)
        ends[p] = high
    consumer.assign([TopicPartition(topic, p, 0) for p in partitions])
    out = []
    deadline = time.time() + 60
    while True:
        positions = {tp.partition: tp.offset for tp in consumer.position([TopicPartition(topic, p) for p in partitions])}
        # A partition is read once the position passed its end (markers included); -1001: none yet.
        if all(ends[p] == 0 or positions.get(p, -1) >= ends[p] for p in partitions):
            break
        if time.time() > deadline:
            raise SystemExit(f"timed out: positions {positions}, ends {ends}")
        msg = consumer.poll(0.2)
        if msg is None:
            continue
        if msg.error():
            raise SystemExit(f"consume failed: {msg.error()}")
        if msg.offset() < ends[msg.partition()]:
            out.append([msg.key().decode() if msg.key() else None, msg.value().decode()])
    consumer.close()
    print(json.dumps(out))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "produce":
        produce(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]))
    elif mode == "read":
        read(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        raise SystemExit(f"unknown mode {mode}")
