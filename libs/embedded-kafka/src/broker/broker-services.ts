import type { Registry } from 'prom-client';
import type { BrokerConfig } from './broker-config';
import type { LogManager } from '../log/log-manager';
import type { Authorizer } from '../security/acl/authorizer';

/** Host, port and id this broker advertises in Metadata and FindCoordinator. */
export interface BrokerNode {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

/** Source of time; tests may replace it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** Minimal logger the broker writes to (defaults to stderr, silent in tests). */
export interface BrokerLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Metrics hook: extensions (for example the group coordinator) register their
 * own prom-client metrics in {@link BrokerMetricsHook.registry}; a gauge with a
 * `collect()` callback is computed when Prometheus scrapes.
 */
export interface BrokerMetricsHook {
  readonly registry: Registry;
}

/**
 * The broker's services, shared by every request handler and extension of one
 * broker instance. Everything here lives as long as the broker.
 */
export interface BrokerServices {
  readonly config: BrokerConfig;
  /** Advertised node (real bound host/port once the server listens). */
  readonly node: BrokerNode;
  /** Cluster id reported in Metadata v2+. */
  readonly clusterId: string;
  readonly clock: Clock;
  readonly logger: BrokerLogger;
  /** Topics, partitions and their on-disk logs. */
  readonly logs: LogManager;
  /** Data directory root (a temp dir when none was configured). */
  readonly dataDir: string;
  readonly metrics: BrokerMetricsHook;
  /** ACLs (`acls` option): what each principal may do; allows everything when ACLs are off. */
  readonly authorizer: Authorizer;
  /**
   * Registered extensions by name (for example `group-coordinator`), for code
   * that needs to reach another extension's instance.
   */
  extension<T>(name: string): T | undefined;
}
