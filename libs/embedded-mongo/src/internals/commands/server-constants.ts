/** What the handshake advertises. */
export const ServerConstants = {
  /** MongoDB 7.0's wire version; the mongodb driver v7 accepts 9 (4.4) to 29. */
  maxWireVersion: 21,
  minWireVersion: 0,
  /** The server version reported by `buildInfo`. */
  version: '7.0.0',
  maxBsonObjectSize: 16 * 1024 * 1024,
  maxMessageSizeBytes: 48_000_000,
  maxWriteBatchSize: 100_000,
  logicalSessionTimeoutMinutes: 30,
} as const;
