import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MongoClient } from 'mongodb';
import { LocalStack } from '../local-stack/local-stack';
import { parsePrometheusText, type Sample as PromSample } from '../local-stack/prometheus-text';
import type { ServiceProcess } from '../local-stack/service-process';
import { ProbedProcess } from './probed-process';
import { hasProcStatus, residentMemoryOf } from './process-memory';
import type { SoakOptions } from './soak-options';
import { judge, type DataHeld, type ProcessSeries, type Sample, type SoakRow } from './soak-verdict';

/** What {@link runSoak} measured. */
export interface SoakResult {
  readonly rows: SoakRow[];
  readonly series: ProcessSeries[];
  /** End of the warm-up and of the measured period, ms after the generators started. */
  readonly warmupEndMs: number;
  readonly endMs: number;
  /** `os.loadavg()` when the generators started and when the soak ended. */
  readonly loadAverage: { readonly start: number[]; readonly end: number[] };
  /** How much heap the embedded MongoDB's documents take, measured by dropping them at the end. */
  readonly mongoData?: MongoDataMeasure;
}

/**
 * The embedded MongoDB's heap after full collections with its documents and after dropping every
 * database (the services stopped first): the difference per document is what one stored document
 * costs in its heap, so the growth of its data can be told from any other growth.
 */
export interface MongoDataMeasure {
  readonly documents: number;
  readonly heapWithData: number;
  readonly heapWithoutData: number;
  readonly bytesPerDocument: number;
}

/** The broker's data figures: its read cache (bounded by its budget) and batch indexes. */
const BROKER_DATA_METRICS = ['kafka_server_read_cache_bytes', 'kafka_server_batch_index_bytes'];
/** Databases of MongoDB's own, never dropped. */
const SYSTEM_DATABASES = new Set(['admin', 'local', 'config']);

/** Documents in every database but the system ones (`dbStats` objects), or undefined on an error. */
async function documentCount(client: MongoClient): Promise<number | undefined> {
  try {
    const { databases } = await client.db('admin').admin().listDatabases({ nameOnly: true });
    let n = 0;
    for (const d of databases) {
      if (SYSTEM_DATABASES.has(d.name)) continue;
      const stats = await client.db(d.name).command({ dbStats: 1 });
      n += Number(stats['objects'] ?? 0);
    }
    return n;
  } catch {
    return undefined;
  }
}

/** `kafka_server_read_cache_bytes + kafka_server_batch_index_bytes`, or undefined when missing. */
function brokerData(samples: readonly PromSample[] | undefined): number | undefined {
  const found = BROKER_DATA_METRICS.map((name) => samples?.find((x) => x.name === name)?.value);
  return found.every((v) => v !== undefined) ? found.reduce((a, v) => a! + v!, 0) : undefined;
}

/** The judged heap figure of a service: the old generation in use after its last major GC. */
const HEAP_METRIC = 'gmart_heap_old_generation_after_major_gc_bytes';
/** The heap in use when sampled (garbage included), in `--json` only. */
const HEAP_IN_USE_METRIC = 'nodejs_heap_size_used_bytes';
/** V8's committed heap (in use, garbage and free pages it keeps), in `--json` only. */
const HEAP_COMMITTED_METRIC = 'nodejs_heap_size_total_bytes';
const EXTERNAL_METRIC = 'nodejs_external_memory_bytes';
/** prom-client's size of each V8 heap space; `space="new"` is the young generation's committed size. */
const NEW_SPACE_METRIC = 'nodejs_heap_space_size_total_bytes';

/** What one memory answer of a process gives (undefined fields: not answered or not published). */
interface MemoryFigures {
  readonly heap?: number;
  readonly heapInUse?: number;
  readonly heapCommitted?: number;
  readonly external?: number;
  readonly arrayBuffers?: number;
  readonly youngGeneration?: number;
}

/** A sampled process: a service (heap and lag from HTTP) or a probed one (heap over IPC). */
interface Target {
  readonly name: string;
  readonly pid: number;
  readonly heapSource: string;
  readonly group?: string;
  readonly dataHeld?: DataHeld;
  running(): boolean;
  memory(): Promise<MemoryFigures>;
  readonly samples: Sample[];
}

function serviceTarget(s: ServiceProcess): Target {
  return {
    name: s.instance,
    pid: s.pid!,
    heapSource: `/metrics ${HEAP_METRIC}`,
    group: s.applicationId,
    running: () => s.running,
    memory: async () => {
      const text = await s.metrics();
      if (text === undefined) return {};
      const samples = parsePrometheusText(text);
      return {
        heap: samples.find((x) => x.name === HEAP_METRIC)?.value,
        heapInUse: samples.find((x) => x.name === HEAP_IN_USE_METRIC)?.value,
        heapCommitted: samples.find((x) => x.name === HEAP_COMMITTED_METRIC)?.value,
        external: samples.find((x) => x.name === EXTERNAL_METRIC)?.value,
        youngGeneration: samples.find((x) => x.name === NEW_SPACE_METRIC && x.labels.space === 'new')?.value,
      };
    },
    samples: [],
  };
}

function probedTarget(p: ProbedProcess, dataHeld?: DataHeld): Target {
  return {
    ...(dataHeld ? { dataHeld } : {}),
    name: p.name,
    pid: p.pid,
    heapSource: 'IPC old generation after the last major GC',
    running: () => p.running,
    memory: async () => {
      const m = await p.memory();
      return m
        ? {
            heap: m.heapAfterMajorGc,
            heapInUse: m.heapUsed,
            heapCommitted: m.heapTotal,
            external: m.external,
            arrayBuffers: m.arrayBuffers,
          }
        : {};
    },
    samples: [],
  };
}

/** Sum of `kafka_consumergroup_lag` of `group`, or undefined when the broker reports none for it. */
function groupLag(samples: readonly PromSample[] | undefined, group: string): number | undefined {
  const mine = samples?.filter(
    (x) => x.name === 'kafka_consumergroup_lag' && x.labels.consumergroup === group,
  );
  return mine && mine.length > 0 ? mine.reduce((a, x) => a + x.value, 0) : undefined;
}

/** `p`'s value, or undefined when it has not settled within `ms`. */
async function withTimeout<T>(p: Promise<T | undefined>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function brokerMetrics(url: string): Promise<PromSample[] | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    return res.ok ? parsePrometheusText(await res.text()) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs the whole pipeline for the warm-up and the measured minutes of `options`, sampling every
 * process, then stops everything and judges each process (see {@link judge}). Progress goes to `say`.
 */
export async function runSoak(options: SoakOptions, say: (m: string) => void): Promise<SoakResult> {
  if (!hasProcStatus()) throw new Error('the soak reads RSS from /proc/<pid>/status: Linux only');
  const tempData = options.dataDir === undefined;
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'gmart-soak-'));
  fs.mkdirSync(dataDir, { recursive: true });
  const logs = path.join(dataDir, 'logs');
  const probed: ProbedProcess[] = [];
  let stack: LocalStack | undefined;
  let mongoClient: MongoClient | undefined;
  let interrupted = false;
  const onSignal = () => (interrupted = true);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    say(`soak: data and logs under ${dataDir}`);
    const broker = await ProbedProcess.start({
      name: 'broker',
      script: 'libs/embedded-kafka/src/cli.ts',
      args: [
        '--port',
        '0',
        '--metrics-port',
        '0',
        '--data-dir',
        path.join(dataDir, 'kafka'),
        '--group-initial-rebalance-delay-ms',
        '0',
        '--quiet',
      ],
      logFile: path.join(logs, 'broker.log'),
      readyLine: /listening on (\S+?), metrics on :(\d+)/,
    });
    probed.push(broker.process);
    const bootstrap = broker.match[1]!;
    const metricsUrl = `http://127.0.0.1:${broker.match[2]}/metrics`;
    say(`soak: broker (pid ${broker.process.pid}) on ${bootstrap}, metrics ${metricsUrl}`);
    const mongo = await ProbedProcess.start({
      name: 'mongo',
      script: 'libs/embedded-mongo/src/cli.ts',
      args: ['--port', '0', '--data-dir', path.join(dataDir, 'mongo'), '--log-level', 'warn'],
      logFile: path.join(logs, 'mongo.log'),
      readyLine: /listening on (mongodb:\/\/\S+)/,
      exposeGc: true,
    });
    probed.push(mongo.process);
    say(`soak: MongoDB (pid ${mongo.process.pid}) on ${mongo.match[1]}`);
    stack = await LocalStack.start({
      kafkaBrokers: bootstrap,
      mongodbUri: mongo.match[1]!,
      dataDir,
      httpPorts: 'ephemeral',
      serviceEnv: { COMMIT_INTERVAL_MS: '1000' },
      say: (m) => say(`soak: ${m}`),
    });
    for (const [name, script, rate] of [
      ['generator', 'libs/gmart/src/cli/generate.ts', options.rate],
      ['stock-generator', 'libs/gmart/src/cli/generate-stocks.ts', options.stockRate],
    ] as const) {
      const g = await ProbedProcess.start({
        name,
        script,
        args: ['--rate', String(rate), '--brokers', bootstrap],
        logFile: path.join(logs, `${name}.log`),
        readyLine: /producing to/,
      });
      probed.push(g.process);
      say(`soak: ${name} (pid ${g.process.pid}) at ${rate}/s`);
    }

    mongoClient = new MongoClient(mongo.match[1]!, { serverSelectionTimeoutMS: 3000 });
    await mongoClient.connect();
    const brokerTarget = probedTarget(broker.process, {
      where: 'off-heap',
      source: BROKER_DATA_METRICS.join(' + '),
    });
    const mongoTarget = probedTarget(mongo.process, {
      where: 'heap',
      source: 'documents (dbStats objects) x heap bytes per document (measured by dropping them at the end)',
    });
    const targets = [
      brokerTarget,
      mongoTarget,
      ...stack.services.map(serviceTarget),
      ...probed.slice(2).map((p) => probedTarget(p)),
    ];
    const warmupEndMs = Math.round(options.warmupMinutes * 60_000);
    const endMs = warmupEndMs + Math.round(options.minutes * 60_000);
    const start = Date.now();
    const loadStart = os.loadavg();
    say(
      `soak: warm-up ${options.warmupMinutes} min, then ${options.minutes} min measured; sampling every ${options.sampleSeconds} s ` +
        `(load average ${loadStart.map((x) => x.toFixed(2)).join(' ')})`,
    );
    let nextProgress = 60_000;
    // Each tick reads /proc at once and asks for the heap and lag figures without waiting for the
    // previous tick's answers: a loaded machine slows those answers (each bounded by a 3 s timeout)
    // but must not thin out the samples; a sample is recorded with the time of its tick.
    const inFlight: Promise<void>[] = [];
    const client = mongoClient;
    const sampleAll = async (t: number) => {
      const live = targets.filter((x) => x.running());
      const rss = new Map(live.map((x) => [x, residentMemoryOf(x.pid)]));
      const [lagSamples, documents] = await Promise.all([
        brokerMetrics(metricsUrl),
        withTimeout(documentCount(client), 3000),
      ]);
      await Promise.all(
        live.map(async (x) => {
          const memory = rss.get(x);
          const { heap, heapInUse, heapCommitted, external, arrayBuffers, youngGeneration } =
            await x.memory();
          const lag = x.group !== undefined ? groupLag(lagSamples, x.group) : undefined;
          x.samples.push({
            t,
            ...memory,
            heap,
            ...(heapInUse !== undefined ? { heapInUse } : {}),
            ...(heapCommitted !== undefined ? { heapCommitted } : {}),
            ...(external !== undefined ? { external } : {}),
            ...(arrayBuffers !== undefined ? { arrayBuffers } : {}),
            ...(youngGeneration !== undefined ? { youngGeneration } : {}),
            ...(lag !== undefined ? { lag } : {}),
            ...(x === brokerTarget && brokerData(lagSamples) !== undefined
              ? { data: brokerData(lagSamples) }
              : {}),
            ...(x === mongoTarget && documents !== undefined ? { documents } : {}),
          });
        }),
      );
    };
    for (let tick = 0; ; tick++) {
      const t = Date.now() - start;
      inFlight.push(sampleAll(t));
      if (t >= nextProgress) {
        nextProgress += 60_000;
        const lags = targets.filter((x) => x.group).map((x) => `${x.name} ${x.samples.at(-1)?.lag ?? '-'}`);
        say(
          `soak: ${(t / 60_000).toFixed(1)} min${t < warmupEndMs ? ' (warm-up)' : ''}; lag ${lags.join(', ')}`,
        );
      }
      if (t >= endMs || interrupted) break;
      const next = start + (tick + 1) * options.sampleSeconds * 1000;
      await new Promise((r) => setTimeout(r, Math.max(0, Math.min(next, start + endMs) - Date.now())));
    }
    await Promise.all(inFlight);
    for (const x of targets) x.samples.sort((a, b) => a.t - b.t);
    if (interrupted) throw new Error('interrupted');
    const loadEnd = os.loadavg();
    const exited = new Map(targets.map((x) => [x, !x.running()]));
    // MongoDB's data: stop everything writing to it, then weigh its documents by dropping them.
    say("soak: stopping the generators and the services; weighing MongoDB's documents");
    for (const g of probed.slice(2)) await g.stop();
    await stack.stop();
    stack = undefined;
    const mongoData = await weighMongoData(mongo.process, mongoClient);
    if (mongoData) {
      say(
        `soak: MongoDB held ${mongoData.documents} documents: heap ${(mongoData.heapWithData / 2 ** 20).toFixed(1)} MiB ` +
          `with them, ${(mongoData.heapWithoutData / 2 ** 20).toFixed(1)} MiB after dropping them (full GCs), ` +
          `${Math.round(mongoData.bytesPerDocument)} bytes per document`,
      );
      for (const [i, x] of mongoTarget.samples.entries())
        if (x.documents !== undefined)
          mongoTarget.samples[i] = { ...x, data: x.documents * mongoData.bytesPerDocument };
    }
    const series: ProcessSeries[] = targets.map((x) => ({
      name: x.name,
      pid: x.pid,
      heapSource: x.heapSource,
      ...(x.group !== undefined ? { group: x.group } : {}),
      exited: exited.get(x)!,
      samples: x.samples,
      ...(x.dataHeld
        ? {
            dataHeld:
              x === mongoTarget && mongoData
                ? { ...x.dataHeld, bytesPerDocument: mongoData.bytesPerDocument }
                : x.dataHeld,
          }
        : {}),
    }));
    const rows = judge(series, {
      warmupEndMs,
      endMs,
      maxGrowthPct: options.maxGrowthPct,
      maxLag: options.maxLag,
    });
    return {
      rows,
      series,
      warmupEndMs,
      endMs,
      loadAverage: { start: loadStart, end: loadEnd },
      ...(mongoData ? { mongoData } : {}),
    };
  } finally {
    await mongoClient?.close().catch(() => undefined);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    say('soak: stopping the generators, the services, MongoDB and the broker');
    for (const g of probed.slice(2)) await g.stop();
    await stack?.stop();
    for (const p of probed.slice(0, 2).reverse()) await p.stop();
    if (tempData) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Weighs the embedded MongoDB's documents (nothing writes to it any more): its heap after full
 * collections with them and after dropping every database but the system ones; undefined when a
 * figure is missing.
 */
async function weighMongoData(
  mongo: ProbedProcess,
  client: MongoClient,
): Promise<MongoDataMeasure | undefined> {
  const documents = await documentCount(client);
  const withData = await mongo.memory(true);
  if (documents === undefined || withData === undefined || documents === 0) return undefined;
  const { databases } = await client.db('admin').admin().listDatabases({ nameOnly: true });
  for (const d of databases) if (!SYSTEM_DATABASES.has(d.name)) await client.db(d.name).dropDatabase();
  const withoutData = await mongo.memory(true);
  if (withoutData === undefined) return undefined;
  return {
    documents,
    heapWithData: withData.heapUsed,
    heapWithoutData: withoutData.heapUsed,
    bytesPerDocument: Math.max(0, (withData.heapUsed - withoutData.heapUsed) / documents),
  };
}
