import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { spawnBrokerProcess } from '../../src/process';

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const CLI = path.resolve(__dirname, '../../src/cli.ts');

/** A broker running as a child process through the CLI. */
export interface CliBroker {
  readonly process: ChildProcess;
  readonly bootstrap: string;
  readonly metricsPort?: number;
  readonly stderr: () => string;
}

/** Starts `src/cli.ts` with `args` and waits for its "listening on" line. */
export async function startCliBroker(args: string[], timeoutMs = 60000): Promise<CliBroker> {
  const b = await spawnBrokerProcess(args, { timeoutMs, cwd: REPO_ROOT });
  return { process: b.child, bootstrap: b.bootstrapServers, metricsPort: b.metricsPort, stderr: b.stderr };
}

/** Resolves when the process has exited; returns its exit code/signal. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Runs the CLI to completion (for flag errors). */
export function runCli(
  args: string[],
  timeoutMs = 60000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--conditions=@gmart/source', '-r', '@swc-node/register', CLI, ...args],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}
