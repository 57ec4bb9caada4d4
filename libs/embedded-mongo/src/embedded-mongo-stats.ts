/** Counters of a running server, from {@link EmbeddedMongo.stats}. */
export interface EmbeddedMongoStats {
  /** Open client connections. */
  readonly connections: number;
  /** Connections accepted since start. */
  readonly totalConnections: number;
  /** Connections closed because they sent a malformed message. */
  readonly rejectedConnections: number;
  /** Cursors waiting for `getMore`. */
  readonly openCursors: number;
  /** Databases holding at least one collection. */
  readonly databases: number;
  /** Collections across all databases. */
  readonly collections: number;
  /** Documents across all collections. */
  readonly documents: number;
  /** Per command name (unknown ones under `<unknown>`): calls and error replies. */
  readonly commands: Readonly<Record<string, { readonly total: number; readonly failed: number }>>;
}
