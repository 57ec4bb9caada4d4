import { StreamsError } from './streams-error';

/** The topology is malformed (unknown parent, duplicate name, co-partitioning mismatch, ...). */
export class TopologyError extends StreamsError {}
