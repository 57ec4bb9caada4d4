import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Registry } from 'prom-client';
import { FileLogManager } from '../log/file-log-manager';
import { MetricsHttpServer } from '../metrics/metrics-http-server';
import { registerLogMemoryMetrics } from '../metrics/log-memory-metrics';
import { registerTopicMetrics } from '../metrics/topic-metrics';
import { ApiRegistry } from '../protocol/api-registry';
import { apiVersionsApi } from '../protocol/requests/api-versions';
import { ProducerIdAllocator } from '../protocol/requests/init-producer-id/producer-id-allocator';
import { KafkaServer } from '../server/kafka-server';
import { ServerMetrics } from '../server/server-metrics';
import { SaslAuthenticator } from '../security/sasl-authenticator';
import { ALLOW_ALL, AclAuthorizer } from '../security/acl/authorizer';
import type { SecurityProtocol } from '../security/security-options';
import { BrokerConfig, type EmbeddedKafkaOptions } from './broker-config';
import type { BrokerExtension, BrokerExtensionFactory } from './broker-extension';
import type { BrokerNode, BrokerServices } from './broker-services';
import { coreApis } from './core-apis';
import { defaultExtensions } from './default-extensions';
import { fetchWaitersFor, type FetchWaiters } from './fetch-waiters';

/**
 * A single-node broker speaking the Kafka wire protocol, for local runs, tests
 * and benchmarks (production uses Apache Kafka).
 *
 * ```ts
 * const broker = await EmbeddedKafka.start({ port: 0 });
 * const kafka = new Kafka({ brokers: [broker.bootstrapServers] });
 * ...
 * await broker.stop();
 * ```
 */
export class EmbeddedKafka {
  private stopped = false;

  private constructor(
    private readonly config: BrokerConfig,
    /** The data directory in use. */
    readonly dataDir: string,
    private readonly ownsDataDir: boolean,
    private readonly node: { nodeId: number; host: string; port: number },
    private readonly logs: FileLogManager,
    private readonly server: KafkaServer,
    private readonly extensions: BrokerExtension[],
    private readonly metricsServer: MetricsHttpServer | undefined,
    /** Port of the metrics endpoint, when enabled. */
    readonly metricsPort: number | undefined,
    /** The prom-client registry holding the broker's metrics. */
    readonly metricsRegistry: Registry,
    private readonly waiters: FetchWaiters,
  ) {}

  /** Starts a broker; resolves once it accepts connections. */
  static async start(options: EmbeddedKafkaOptions = {}): Promise<EmbeddedKafka> {
    const config = BrokerConfig.from(options);
    const ownsDataDir = config.dataDir === undefined;
    const dataDir = config.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-kafka-'));
    fs.mkdirSync(dataDir, { recursive: true });
    const logs = FileLogManager.open(dataDir, config, config.logger);
    const registry = new Registry();
    const node = { nodeId: config.nodeId, host: config.advertisedHost, port: config.port };
    const extensionsByName = new Map<string, BrokerExtension>();
    const services: BrokerServices = {
      config,
      node: node as BrokerNode,
      clusterId: clusterIdFor(dataDir),
      clock: config.clock,
      logger: config.logger,
      logs,
      dataDir,
      metrics: { registry },
      authorizer: config.acls ? new AclAuthorizer(config.acls, config.logger) : ALLOW_ALL,
      extension: <T>(name: string) => extensionsByName.get(name) as T | undefined,
    };
    const waiters = fetchWaitersFor(services);
    const apiRegistry = new ApiRegistry();
    apiRegistry.register(apiVersionsApi(apiRegistry));
    apiRegistry.registerAll(coreApis());
    const factories: BrokerExtensionFactory[] = [...defaultExtensions(), ...config.extensions];
    const extensions: BrokerExtension[] = [];
    let server: KafkaServer | undefined;
    try {
      for (const f of factories) {
        const ext = await f(services);
        extensionsByName.set(ext.name, ext);
        extensions.push(ext);
        apiRegistry.registerAll(ext.apis);
      }
      for (const ext of extensions) await ext.start?.();
      registerTopicMetrics(registry, logs);
      registerLogMemoryMetrics(registry, logs.readCacheBudget, () => logs.batchIndexBytes());
      server = new KafkaServer(
        apiRegistry,
        services,
        new ServerMetrics(registry),
        config.sasl ? new SaslAuthenticator(config.sasl) : undefined,
        config.tls,
      );
      node.port = await server.listen(config.port, config.host);
      let metricsServer: MetricsHttpServer | undefined;
      let metricsPort: number | undefined;
      if (config.metricsPort !== undefined) {
        metricsServer = new MetricsHttpServer(registry);
        metricsPort = await metricsServer.listen(config.metricsPort, config.host);
      }
      logs.startBackgroundTasks();
      config.logger.info(
        `embedded Kafka broker ${node.nodeId} listening on ${node.host}:${node.port} (${config.securityProtocol}${config.acls ? `, ACLs: ${config.acls.rules.length} rules` : ''}), data in ${dataDir}`,
      );
      return new EmbeddedKafka(
        config,
        dataDir,
        ownsDataDir,
        node,
        logs,
        server,
        extensions,
        metricsServer,
        metricsPort,
        registry,
        waiters,
      );
    } catch (err) {
      await server?.close();
      for (const ext of extensions) await ext.stop?.();
      logs.close();
      if (ownsDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      throw err;
    }
  }

  /** `host:port` to give clients. */
  get bootstrapServers(): string {
    return `${this.node.host}:${this.node.port}`;
  }

  /** The listener's security protocol: `PLAINTEXT`, `SSL`, `SASL_PLAINTEXT` or `SASL_SSL`. */
  get securityProtocol(): SecurityProtocol {
    return this.config.securityProtocol;
  }

  /** The bound port. */
  get port(): number {
    return this.node.port;
  }

  /** The log manager (topics and partition logs), for tests and tools. */
  get logManager(): FileLogManager {
    return this.logs;
  }

  /**
   * Runs one background-cleaner pass now (retention and compaction) and
   * returns how many records compaction removed.
   */
  runLogCleaner(): number {
    return this.logs.runCleanerOnce();
  }

  /** Stops the broker: closes connections, stops extensions, closes logs. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.waiters.wakeAll();
    await this.server.close();
    await this.metricsServer?.close();
    for (const ext of [...this.extensions].reverse()) {
      try {
        await ext.stop?.();
      } catch (err) {
        this.config.logger.error(`extension ${ext.name} failed to stop: ${(err as Error).message}`);
      }
    }
    this.logs.close();
    ProducerIdAllocator.release(this.dataDir);
    if (this.ownsDataDir) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Stable cluster id per data directory (22 chars, like Kafka's base64 UUIDs). */
function clusterIdFor(dataDir: string): string {
  const file = path.join(dataDir, '__meta', 'cluster-id');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const id = randomBytes(16).toString('base64url').slice(0, 22);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, id);
  return id;
}
