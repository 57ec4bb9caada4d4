import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MongoLogger } from '../src';

/** A fresh unique temp directory. */
export function tempDir(prefix = 'embedded-mongo-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A logger that records every line (for asserting logged reasons). */
export function recordingLogger(): MongoLogger & { lines: string[] } {
  const lines: string[] = [];
  const rec = (level: string) => (m: string) => {
    lines.push(`${level} ${m}`);
  };
  return { lines, debug: rec('debug'), info: rec('info'), warn: rec('warn'), error: rec('error') };
}

const CLI = path.join(__dirname, '..', 'src', 'cli.ts');

/** A spawned CLI server. */
export interface CliProcess {
  readonly child: ChildProcess;
  readonly uri: string;
  stdout(): string;
  stderr(): string;
}

/** Spawns `src/cli.ts` with the given flags and waits for its "listening on" line. */
export function spawnCli(args: string[], timeoutMs = 60_000): Promise<CliProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=@gmart/source', '-r', '@swc-node/register', CLI, ...args],
    {
      cwd: path.join(__dirname, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`CLI did not start in time: ${out} ${err}`)), timeoutMs);
    const onData = (): void => {
      const m = /listening on (mongodb:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve({ child, uri: m[1], stdout: () => out, stderr: () => err });
      }
    };
    child.stdout?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`CLI exited with ${code} before listening: ${out} ${err}`));
    });
  });
}

/** Runs the CLI to completion (for flags that make it exit). */
export function runCli(
  args: string[],
  timeoutMs = 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--conditions=@gmart/source', '-r', '@swc-node/register', CLI, ...args],
    {
      cwd: path.join(__dirname, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('CLI did not exit in time'));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Waits for a child process to exit. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}
