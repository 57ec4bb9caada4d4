import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

const PACKAGE_DIR = path.resolve(__dirname, '..', '..', '..');

/** The broker CLI (`src/cli.ts`) running as a child process. */
export interface BrokerProcess {
  readonly child: ChildProcess;
  readonly bootstrapServers: string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (or signal) once the process ends. */
  exited(): Promise<number | NodeJS.Signals>;
}

/** Spawns `src/cli.ts` on port 0 with `args` and waits for its "listening on host:port" line. */
export async function spawnBroker(args: string[]): Promise<BrokerProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=@gmart/source', '-r', '@swc-node/register', 'src/cli.ts', '--port', '0', ...args],
    { cwd: PACKAGE_DIR, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | NodeJS.Signals>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)),
  );
  const bootstrapServers = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(
      () => reject(new Error(`broker did not start within 30 s; stderr: ${stderr}`)),
      30_000,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (\S+:\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`broker exited (${code}) before listening; stderr: ${stderr}`));
    });
  });
  return { child, bootstrapServers, stderr: () => stderr, exited: () => exit };
}
