/** Metadata request, all versions. */
export interface MetadataRequest {
  /** Topics asked for by name; null = all topics (v0: an empty list also means all). */
  topics: string[] | null;
  /** v10+: topics asked for by id (entries whose name is null), 32 hex digits. */
  topicIds: string[];
  /** v4+; earlier versions always auto-create. */
  allowAutoTopicCreation: boolean;
  /** v8-10 */
  includeClusterAuthorizedOperations: boolean;
  /** v8+ */
  includeTopicAuthorizedOperations: boolean;
}

export interface MetadataBroker {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface MetadataPartition {
  errorCode: number;
  partitionIndex: number;
  leaderId: number;
  /** v7+ */
  leaderEpoch: number;
  replicaNodes: number[];
  isrNodes: number[];
  /** v5+ */
  offlineReplicas: number[];
}

export interface MetadataTopic {
  errorCode: number;
  /** Null only for an unknown topic asked for by id (v12+). */
  name: string | null;
  /** v10+; the zero UUID for an unknown topic asked for by name. */
  topicId: string;
  isInternal: boolean;
  partitions: MetadataPartition[];
  /** v8+; -2147483648 when not requested. */
  topicAuthorizedOperations: number;
}

/** Metadata response, all versions. */
export interface MetadataResponse {
  throttleTimeMs: number;
  brokers: MetadataBroker[];
  clusterId: string | null;
  controllerId: number;
  topics: MetadataTopic[];
  /** v8-10; -2147483648 when not requested. */
  clusterAuthorizedOperations: number;
}
