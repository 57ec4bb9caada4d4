import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_TOPICS_FILE, ensureTopics, loadTopicsFile } from '@gmart/deploy';
import { EmbeddedKafka } from '@gmart/embedded-kafka';
import { EmbeddedMongo } from '@gmart/embedded-mongo';
import { Kafka, logLevel } from 'kafkajs';
import { availableServices, type ServiceDefinition } from './service-definitions';
import { ServiceProcess } from './service-process';

/** Options of {@link LocalStack.start}. */
export interface LocalStackOptions {
  /** An existing cluster (`host:port,...`); when unset an embedded broker is started. */
  readonly kafkaBrokers?: string;
  /** Port of the embedded broker (default 9092; 0 = any free port). */
  readonly kafkaPort?: number;
  /** Port of the embedded broker's Prometheus endpoint (kafka_exporter metric names); absent = none. */
  readonly kafkaMetricsPort?: number;
  /** Root of the broker's data, the services' state and logs. */
  readonly dataDir: string;
  /** An existing MongoDB for the storage service; when unset and storage runs, an embedded one is started. */
  readonly mongodbUri?: string;
  /** Services to run (default every available one). */
  readonly services?: readonly ServiceDefinition[];
  /** `default`: each service on its usual port (8081...); `ephemeral`: any free port. */
  readonly httpPorts?: 'default' | 'ephemeral';
  /** Extra environment for every service (e.g. `COMMIT_INTERVAL_MS`, `LOG_LEVEL`). */
  readonly serviceEnv?: Record<string, string>;
  /** Extra Node flags for every service process (e.g. `--cpu-prof`). */
  readonly nodeArgs?: readonly string[];
  /** Progress messages (default none). */
  readonly say?: (message: string) => void;
  /**
   * Restart a service process that exits without being asked to (crash, `kill -9`, exit on ERROR),
   * after a capped exponential backoff, saying so through `say`. Off by default (tests that kill
   * an instance on purpose want it to stay dead); `npm start` turns it on.
   */
  readonly supervise?: boolean | SupervisionOptions;
}

/** Backoff of {@link LocalStackOptions.supervise}. */
export interface SupervisionOptions {
  /** Delay before the first restart (default 1000 ms); doubled for each further crash. */
  readonly initialBackoffMs?: number;
  /** Cap of the delay (default 30000 ms). */
  readonly maxBackoffMs?: number;
  /** A process that ran this long before exiting starts again from the initial delay (default 60000 ms). */
  readonly resetAfterMs?: number;
}

/**
 * The whole G-Mart pipeline on one machine: the embedded Kafka-protocol broker (unless
 * `kafkaBrokers` is given), the embedded MongoDB when the storage service runs without
 * `MONGODB_URI`, the topics of `deploy/topics.yaml`, and every service as its own process.
 */
export class LocalStack {
  private constructor(
    readonly brokers: string,
    readonly dataDir: string,
    readonly services: ServiceProcess[],
    private readonly serviceEnv: Record<string, string>,
    private readonly httpPorts: 'default' | 'ephemeral',
    private readonly nodeArgs: readonly string[],
    private readonly broker: EmbeddedKafka | undefined,
    private readonly mongo: EmbeddedMongo | undefined,
    readonly mongodbUri: string | undefined,
    private readonly say: (message: string) => void,
  ) {}

  private supervision: Required<SupervisionOptions> | undefined;
  private stopping = false;
  private readonly crashes = new Map<string, number>();
  private readonly restartTimers = new Set<NodeJS.Timeout>();

  /** The embedded broker's Prometheus endpoint (kafka_exporter names), when it runs one. */
  get brokerMetricsUrl(): string | undefined {
    const port = this.broker?.metricsPort;
    return port !== undefined ? `http://127.0.0.1:${port}/metrics` : undefined;
  }

  /** Starts everything and waits until every service is ready (streams RUNNING). */
  static async start(options: LocalStackOptions): Promise<LocalStack> {
    const say = options.say ?? (() => undefined);
    const dataDir = path.resolve(options.dataDir);
    fs.mkdirSync(dataDir, { recursive: true });
    const definitions = options.services ?? availableServices();
    let broker: EmbeddedKafka | undefined;
    let mongo: EmbeddedMongo | undefined;
    let brokers = options.kafkaBrokers;
    const started: ServiceProcess[] = [];
    try {
      if (!brokers) {
        broker = await EmbeddedKafka.start({
          port: options.kafkaPort ?? 9092,
          dataDir: path.join(dataDir, 'kafka'),
          groupInitialRebalanceDelayMs: 0,
          metricsPort: options.kafkaMetricsPort,
        });
        brokers = broker.bootstrapServers;
        say(`embedded Kafka broker on ${brokers} (data: ${path.join(dataDir, 'kafka')})`);
        if (options.kafkaMetricsPort !== undefined)
          say(`broker metrics (kafka_exporter names) on http://127.0.0.1:${broker.metricsPort}/metrics`);
      } else {
        say(`using Kafka at ${brokers}`);
      }
      let mongodbUri = options.mongodbUri;
      if (definitions.some((d) => d.needsMongo) && !mongodbUri) {
        mongo = await EmbeddedMongo.start({ port: 0, dataDir: path.join(dataDir, 'mongo') });
        mongodbUri = mongo.uri;
        say(`embedded MongoDB on ${mongodbUri}`);
      }
      await createTopics(brokers);
      say('topics created from deploy/topics.yaml');
      const httpPorts = options.httpPorts ?? 'default';
      const serviceEnv = {
        ...(options.serviceEnv ?? {}),
        ...(mongodbUri ? { MONGODB_URI: mongodbUri } : {}),
      };
      const stack = new LocalStack(
        brokers,
        dataDir,
        started,
        serviceEnv,
        httpPorts,
        options.nodeArgs ?? [],
        broker,
        mongo,
        mongodbUri,
        say,
      );
      for (const d of definitions) stack.startService(d);
      await Promise.all(started.map((s) => s.waitReady(90_000)));
      for (const s of started) say(`${s.instance} ready on ${s.url}`);
      // Supervise only once everything is up: a service failing at start fails the start.
      if (options.supervise) {
        const o = options.supervise === true ? {} : options.supervise;
        stack.supervision = {
          initialBackoffMs: o.initialBackoffMs ?? 1000,
          maxBackoffMs: o.maxBackoffMs ?? 30_000,
          resetAfterMs: o.resetAfterMs ?? 60_000,
        };
        for (const s of started) stack.watch(s);
      }
      return stack;
    } catch (err) {
      await Promise.all(started.map((s) => s.stop(5000)));
      await mongo?.stop().catch(() => undefined);
      await broker?.stop().catch(() => undefined);
      throw err;
    }
  }

  /**
   * Starts one more instance of a service (e.g. a second `rewards` sharing the partitions);
   * `instance` names its log and state directory. Call `waitReady()` on the result.
   */
  startService(
    definition: ServiceDefinition,
    instance = definition.name,
    env: Record<string, string> = {},
  ): ServiceProcess {
    const p = ServiceProcess.start({
      definition,
      instance,
      nodeArgs: this.nodeArgs,
      logFile: this.logFileOf(instance),
      env: {
        KAFKA_BROKERS: this.brokers,
        HTTP_PORT:
          this.httpPorts === 'default' && instance === definition.name ? String(definition.httpPort) : '0',
        STATE_DIR: path.join(this.dataDir, 'state', instance),
        ...this.serviceEnv,
        ...env,
      },
    });
    this.services.push(p);
    if (this.supervision) this.watch(p);
    return p;
  }

  /** Restarts `p` with backoff when it exits without being asked to (see {@link LocalStackOptions.supervise}). */
  private watch(p: ServiceProcess): void {
    void p.whenExited().then(({ code, signal, requested }) => {
      const sup = this.supervision;
      if (requested || this.stopping || !sup) return;
      const crashes = Date.now() - p.startedAt >= sup.resetAfterMs ? 0 : (this.crashes.get(p.instance) ?? 0);
      this.crashes.set(p.instance, crashes + 1);
      const delay = Math.min(sup.maxBackoffMs, sup.initialBackoffMs * 2 ** crashes);
      const how = signal ? `signal ${signal}` : `code ${code}`;
      this.say(`${p.instance} exited (${how}); restarting in ${delay} ms (see ${p.options.logFile})`);
      const timer = setTimeout(() => {
        this.restartTimers.delete(timer);
        if (this.stopping) return;
        const next = ServiceProcess.start(p.options);
        const at = this.services.indexOf(p);
        if (at >= 0) this.services[at] = next;
        else this.services.push(next);
        this.say(`${p.instance} restarted (pid ${next.pid}, restart ${crashes + 1})`);
        this.watch(next);
        next.waitReady(90_000).then(
          (url) => this.say(`${p.instance} ready again on ${url}`),
          () => undefined, // its exit is reported (and restarted) by watch
        );
      }, delay);
      this.restartTimers.add(timer);
    });
  }

  /** Log file of a service instance (JSON lines). */
  logFileOf(instance: string): string {
    return path.join(this.dataDir, 'logs', `${instance}.log`);
  }

  /** The running instance(s) of a service (a restarted one replaces the process that exited). */
  instancesOf(name: string): ServiceProcess[] {
    return this.services.filter((s) => s.options.definition.name === name && s.running);
  }

  /** A kafkajs client for this stack's cluster. */
  kafka(clientId = 'gmart-local-stack'): Kafka {
    return new Kafka({ clientId, brokers: this.brokers.split(','), logLevel: logLevel.NOTHING });
  }

  /** Stops every service (SIGTERM, graceful), then MongoDB and the broker. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const t of this.restartTimers) clearTimeout(t);
    this.restartTimers.clear();
    await Promise.all(this.services.map((s) => s.stop()));
    await this.mongo?.stop().catch(() => undefined);
    await this.broker?.stop().catch(() => undefined);
  }
}

async function createTopics(brokers: string): Promise<void> {
  const kafka = new Kafka({
    clientId: 'gmart-topic-init',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, loadTopicsFile(DEFAULT_TOPICS_FILE));
  } finally {
    await admin.disconnect();
  }
}
