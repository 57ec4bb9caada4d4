import { RecordContext } from './record-context';

/** Picks the output topic per record (Kafka Streams' `TopicNameExtractor`). */
export type TopicNameExtractor<K, V> = (key: K, value: V, recordContext: RecordContext) => string;
