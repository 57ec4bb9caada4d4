import { TopicPartitionOffset } from '../client/kafka-client';
import { Logger } from '../logger';
import type { OutgoingRecord } from '../processor/outgoing-record';
import { ConsumerInterceptor, InterceptedRecord } from './consumer-interceptor';
import { ProducerInterceptor, ProducerRecordMetadata } from './producer-interceptor';

/**
 * Logs each consumed batch (topic, partition, first/last offset, count) and each commit, at
 * debug level. Never logs keys or values (the seed's chapter 7 logging interceptor, made safe).
 */
export class LoggingConsumerInterceptor implements ConsumerInterceptor {
  constructor(private readonly logger: Logger) {}

  onConsume(records: InterceptedRecord[]): InterceptedRecord[] {
    if (records.length) {
      const first = records[0];
      const last = records[records.length - 1];
      this.logger.debug('Consumed records', {
        topic: first.topic,
        partition: first.partition,
        fromOffset: first.offset,
        toOffset: last.offset,
        count: records.length,
      });
    }
    return records;
  }

  onCommit(offsets: TopicPartitionOffset[]): void {
    this.logger.debug('Committed offsets', {
      offsets: offsets.map((o) => `${o.topic}-${o.partition}@${o.offset}`),
    });
  }
}

/** Logs failed sends (topic, partition, sizes, error) at warn level and successes at debug. Never logs keys or values. */
export class LoggingProducerInterceptor implements ProducerInterceptor {
  constructor(private readonly logger: Logger) {}

  onSend(record: OutgoingRecord): OutgoingRecord {
    return record;
  }

  onAcknowledgement(md: ProducerRecordMetadata, error: Error | null): void {
    if (error) {
      this.logger.warn('Record send failed', {
        topic: md.topic,
        partition: md.partition,
        valueBytes: md.serializedValueSize,
        error: error.message,
      });
    } else {
      this.logger.debug('Record acknowledged', {
        topic: md.topic,
        partition: md.partition,
        latencyMs: Date.now() - md.sendTimeMs,
      });
    }
  }
}
