import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT, TS_NODE_ARGS } from '../local-stack';

/** The embedded broker in a process of its own, as a real broker runs beside the services. */
export interface BrokerProcess {
  /** `host:port` to bootstrap from. */
  readonly brokers: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `libs/embedded-kafka/src/cli.ts --port 0 --data-dir <dataDir>` and resolves with its
 * address once it listens. Keeping the broker out of the bench process means the load generator
 * and the measuring consumer do not share an event loop with the broker.
 */
export async function startBrokerProcess(dataDir: string): Promise<BrokerProcess> {
  const cli = path.join(REPO_ROOT, 'libs/embedded-kafka/src/cli.ts');
  const child = spawn(
    process.execPath,
    [
      ...TS_NODE_ARGS,
      cli,
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--quiet',
      '--group-initial-rebalance-delay-ms',
      '0',
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const brokers = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const m = /listening on (\S+?)[,\s]/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) =>
      reject(new Error(`the embedded broker exited with ${code} before listening`)),
    );
  });
  return {
    brokers,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
