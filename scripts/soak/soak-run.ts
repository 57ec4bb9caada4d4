import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalStack } from '../local-stack/local-stack';
import { parsePrometheusText, type Sample as PromSample } from '../local-stack/prometheus-text';
import type { ServiceProcess } from '../local-stack/service-process';
import { ProbedProcess } from './probed-process';
import { hasProcStatus, residentMemoryOf } from './process-memory';
import type { SoakOptions } from './soak-options';
import { judge, type ProcessSeries, type Sample, type SoakRow } from './soak-verdict';

/** What {@link runSoak} measured. */
export interface SoakResult {
  readonly rows: SoakRow[];
  readonly series: ProcessSeries[];
  /** End of the warm-up and of the measured period, ms after the generators started. */
  readonly warmupEndMs: number;
  readonly endMs: number;
  /** `os.loadavg()` when the generators started and when the soak ended. */
  readonly loadAverage: { readonly start: number[]; readonly end: number[] };
}

const HEAP_METRIC = 'nodejs_heap_size_used_bytes';

/** A sampled process: a service (heap and lag from HTTP) or a probed one (heap over IPC). */
interface Target {
  readonly name: string;
  readonly pid: number;
  readonly heapSource: string;
  readonly group?: string;
  running(): boolean;
  heap(): Promise<number | undefined>;
  readonly samples: Sample[];
}

function serviceTarget(s: ServiceProcess): Target {
  return {
    name: s.instance,
    pid: s.pid!,
    heapSource: `/metrics ${HEAP_METRIC}`,
    group: s.applicationId,
    running: () => s.running,
    heap: async () => {
      const text = await s.metrics();
      if (text === undefined) return undefined;
      const m = parsePrometheusText(text).find((x) => x.name === HEAP_METRIC);
      return m?.value;
    },
    samples: [],
  };
}

function probedTarget(p: ProbedProcess): Target {
  return {
    name: p.name,
    pid: p.pid,
    heapSource: 'IPC process.memoryUsage().heapUsed',
    running: () => p.running,
    heap: async () => (await p.memory())?.heapUsed,
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

    const targets = [
      ...probed.slice(0, 2).map(probedTarget),
      ...stack.services.map(serviceTarget),
      ...probed.slice(2).map(probedTarget),
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
    for (let tick = 0; ; tick++) {
      const t = Date.now() - start;
      const lagSamples = await brokerMetrics(metricsUrl);
      await Promise.all(
        targets.map(async (x) => {
          if (!x.running()) return;
          const heap = await x.heap();
          const memory = residentMemoryOf(x.pid);
          const lag = x.group !== undefined ? groupLag(lagSamples, x.group) : undefined;
          x.samples.push({ t, ...memory, heap, ...(lag !== undefined ? { lag } : {}) });
        }),
      );
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
    if (interrupted) throw new Error('interrupted');
    const loadEnd = os.loadavg();
    const series: ProcessSeries[] = targets.map((x) => ({
      name: x.name,
      pid: x.pid,
      heapSource: x.heapSource,
      ...(x.group !== undefined ? { group: x.group } : {}),
      exited: !x.running(),
      samples: x.samples,
    }));
    const rows = judge(series, {
      warmupEndMs,
      endMs,
      maxGrowthPct: options.maxGrowthPct,
      maxLag: options.maxLag,
    });
    return { rows, series, warmupEndMs, endMs, loadAverage: { start: loadStart, end: loadEnd } };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    say('soak: stopping the generators, the services, MongoDB and the broker');
    for (const g of probed.slice(2)) await g.stop();
    await stack?.stop();
    for (const p of probed.slice(0, 2).reverse()) await p.stop();
    if (tempData) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
