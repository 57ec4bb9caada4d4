import { spawn, type ChildProcess } from 'node:child_process';
import { spawnBrokerProcess } from '../src/process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A broker the benchmark runs against. */
export interface BenchTarget {
  readonly name: 'embedded' | 'librdkafka-mock';
  readonly bootstrap: string;
  stop(): Promise<void>;
}

function waitFor(
  child: ChildProcess,
  stream: 'stdout' | 'stderr',
  pattern: RegExp,
  what: string,
): Promise<RegExpExecArray> {
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${text}`)), 60000);
    child[stream]!.on('data', (d) => {
      text += d;
      const m = pattern.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}: ${text}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10000).unref();
  });
}

/** The embedded broker as a child process (its own event loop, like a real broker). */
export async function startEmbedded(): Promise<BenchTarget> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ek-bench-'));
  const broker = await spawnBrokerProcess([
    '--port',
    '0',
    '--data-dir',
    dataDir,
    '--quiet',
    '--group-initial-rebalance-delay-ms',
    '0',
  ]);
  return {
    name: 'embedded',
    bootstrap: broker.bootstrapServers,
    stop: async () => {
      await broker.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** librdkafka's built-in mock cluster, hosted by a long-running kcat consumer. */
export async function startMock(): Promise<BenchTarget> {
  const child = spawn(
    'kcat',
    ['-X', 'test.mock.num.brokers=1', '-b', 'localhost:1', '-C', '-t', '__bench_keepalive', '-q', '-u'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const m = await waitFor(child, 'stderr', /replaced with (\S+)/, 'librdkafka mock cluster');
  return { name: 'librdkafka-mock', bootstrap: m[1]!, stop: () => stopChild(child) };
}
