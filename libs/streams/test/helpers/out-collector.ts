import type { StreamsProducer } from '../../src/client/kafka-client';
import type { Logger } from '../../src/logger';
import { ProducerMetadata } from '../../src/processor/internals/producer-metadata';
import {
  RuntimeRecordCollector,
  type RecordCollectorLimits,
} from '../../src/processor/internals/runtime-record-collector';

/** A logger that drops everything. */
export const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * A record collector over `producer` for one sink topic `out` of one partition, no interceptors,
 * quiet; `transactional` as under `exactly_once_v2`.
 */
export function outCollector(
  producer: StreamsProducer,
  limits: RecordCollectorLimits,
  transactional = false,
): RuntimeRecordCollector {
  const metadata = new ProducerMetadata(
    new Map([['out', 1]]),
    async () => new Map([['out', 1]]),
    60_000,
    quiet,
  );
  return new RuntimeRecordCollector(producer, limits, metadata, [], quiet, transactional);
}
