/** Host and port of an instance's query endpoint (Kafka Streams' `HostInfo`), from `applicationServer`. */
export interface HostInfo {
  readonly host: string;
  readonly port: number;
}

/** A topic-partition. */
export interface HostedPartition {
  readonly topic: string;
  readonly partition: number;
}

/** What one instance of the application hosts (Kafka Streams' `StreamsMetadata`). */
export interface StreamsMetadata {
  readonly hostInfo: HostInfo;
  /** Stores whose tasks run on that instance. */
  readonly stateStoreNames: readonly string[];
  /** Source partitions assigned to it. */
  readonly topicPartitions: readonly HostedPartition[];
}

/** Where a key lives (Kafka Streams' `KeyQueryMetadata`). */
export interface KeyQueryMetadata {
  /** The instance running the task that holds the key. */
  readonly activeHost: HostInfo;
  /** Standby hosts (always empty: standby replicas are not implemented). */
  readonly standbyHosts: readonly HostInfo[];
  /** The partition (task) of the key. */
  readonly partition: number;
}

/** Parses `host:port`. */
export function parseHostInfo(text: string): HostInfo {
  const i = text.lastIndexOf(':');
  const port = Number(text.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`invalid host:port ${JSON.stringify(text)}`);
  return { host: text.slice(0, i), port };
}

/** True when both describe the same endpoint. */
export function sameHost(a: HostInfo, b: HostInfo): boolean {
  return a.host === b.host && a.port === b.port;
}
