import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { createTopics, type TopicSpec } from '@gmart/test-support';
import { serviceNamed } from '../local-stack/service-definitions';
import { ServiceProcess } from '../local-stack/service-process';
import { freePort, ServerProcess } from './server-process';

/**
 * What every scenario shares: one embedded broker and one embedded MongoDB, each its own process
 * (so a scenario can `kill -9` them), the run directory (logs, `/metrics` snapshots, state), the
 * service processes started, and the topics that hold card numbers in clear by design (the raw
 * inputs), which the final PAN scan leaves out.
 */
export class ChaosEnv {
  /** Services started by any scenario (the PAN scan reads their logs). */
  readonly services: ServiceProcess[] = [];
  /** Raw input topics: the only ones allowed to hold card numbers in clear. */
  readonly rawTopics = new Set<string>();
  /** MongoDB databases the scenarios wrote (the PAN scan reads every collection of each). */
  readonly databases = new Set<string>();
  private snapshots = 0;
  private kafkaClient: Kafka | undefined;

  private constructor(
    readonly runDir: string,
    readonly broker: ServerProcess,
    readonly brokerPort: number,
    readonly mongo: ServerProcess,
    readonly mongoPort: number,
    readonly say: (message: string) => void,
  ) {}

  /** Starts the broker and MongoDB under `runDir`. */
  static async start(runDir: string, say: (message: string) => void): Promise<ChaosEnv> {
    fs.mkdirSync(path.join(runDir, 'logs'), { recursive: true });
    const brokerPort = await freePort();
    const mongoPort = await freePort();
    const broker = new ServerProcess(
      'broker',
      'libs/embedded-kafka/src/cli.ts',
      [
        '--port',
        String(brokerPort),
        '--data-dir',
        path.join(runDir, 'kafka'),
        '--group-initial-rebalance-delay-ms',
        '0',
        '--no-auto-create-topics',
      ],
      path.join(runDir, 'logs', 'broker.log'),
    );
    const mongo = new ServerProcess(
      'mongodb',
      'libs/embedded-mongo/src/cli.ts',
      ['--port', String(mongoPort), '--data-dir', path.join(runDir, 'mongo'), '--log-level', 'warn'],
      path.join(runDir, 'logs', 'mongodb.log'),
    );
    try {
      await Promise.all([broker.start(), mongo.start()]);
    } catch (err) {
      // One of them may have started: leave nothing running behind a failed start.
      await Promise.all([broker.stop(), mongo.stop()]);
      throw err;
    }
    const env = new ChaosEnv(runDir, broker, brokerPort, mongo, mongoPort, say);
    say(`broker on 127.0.0.1:${brokerPort}, MongoDB on ${env.mongoUri} (run directory ${runDir})`);
    return env;
  }

  /** Bootstrap list of the broker. */
  get brokers(): string {
    return `127.0.0.1:${this.brokerPort}`;
  }

  /** Connection string of MongoDB. */
  get mongoUri(): string {
    return `mongodb://127.0.0.1:${this.mongoPort}`;
  }

  /** A kafkajs client of the broker (shared; it reconnects after a broker restart). */
  get kafka(): Kafka {
    this.kafkaClient ??= new Kafka({
      clientId: 'gmart-chaos',
      brokers: [this.brokers],
      logLevel: logLevel.NOTHING,
      retry: { retries: 10 },
    });
    return this.kafkaClient;
  }

  /** Directory of logs and `/metrics` snapshots. */
  get logsDir(): string {
    return path.join(this.runDir, 'logs');
  }

  /** Creates `topics`; `raw` ones are recorded as holding card numbers in clear by design. */
  async createTopics(topics: readonly TopicSpec[], raw: readonly string[] = []): Promise<void> {
    await createTopics(this.kafka, topics);
    for (const t of raw) this.rawTopics.add(t);
  }

  /**
   * Starts `service` (`masking`, `rewards`, `storage`) as `instance` with `env` on top of the
   * chaos defaults (this broker, any free HTTP port on 127.0.0.1, a state directory per
   * instance, commits every second, MongoDB for storage). Call `waitReady()` on the result.
   */
  startService(service: string, instance: string, env: Record<string, string>): ServiceProcess {
    const definition = serviceNamed(service);
    const p = ServiceProcess.start({
      definition,
      instance,
      logFile: path.join(this.logsDir, `${instance}.log`),
      env: {
        KAFKA_BROKERS: this.brokers,
        HTTP_PORT: '0',
        HTTP_HOST: '127.0.0.1',
        STATE_DIR: path.join(this.runDir, 'state', instance),
        COMMIT_INTERVAL_MS: '1000',
        LOG_LEVEL: 'info',
        ...(definition.needsMongo ? { MONGODB_URI: this.mongoUri } : {}),
        ...env,
      },
    });
    this.services.push(p);
    return p;
  }

  /** Saves the service's `/metrics` text under the logs directory (for the PAN scan); returns it. */
  async snapshotMetrics(p: ServiceProcess): Promise<string | undefined> {
    const text = await p.metrics();
    if (text !== undefined)
      fs.writeFileSync(path.join(this.logsDir, `${p.instance}.${++this.snapshots}.metrics.txt`), text);
    return text;
  }

  /** Snapshots `/metrics`, then stops the service gracefully (SIGTERM). */
  async stopService(p: ServiceProcess): Promise<void> {
    await this.snapshotMetrics(p);
    await p.stop();
  }

  /** Stops the services a scenario left running (one that failed half-way), snapshotting their `/metrics`. */
  async stopServices(): Promise<void> {
    await Promise.all(this.services.filter((s) => s.running).map((s) => this.stopService(s)));
  }

  /** Starts the broker or MongoDB again if a scenario left either down (one that failed mid-outage). */
  async restoreServers(): Promise<void> {
    if (this.broker.pid === undefined) await this.broker.start();
    if (this.mongo.pid === undefined) await this.mongo.start();
  }

  /** Stops every service still running, MongoDB and the broker. */
  async stop(): Promise<void> {
    await Promise.all(this.services.filter((s) => s.running).map((s) => s.stop(10_000)));
    await this.mongo.stop().catch(() => undefined);
    await this.broker.stop().catch(() => undefined);
  }
}
