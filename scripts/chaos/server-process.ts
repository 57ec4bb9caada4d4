import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { REPO_ROOT, TS_NODE_ARGS } from '../local-stack/repo-root';

/** A free TCP port on 127.0.0.1 (listen on 0, close): a server restarted on it keeps its clients' address. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/**
 * One of the embedded servers (`libs/embedded-kafka/src/cli.ts`, `libs/embedded-mongo/src/cli.ts`)
 * as its own process, so it can be `kill -9`-ed and started again on the same port and data
 * directory. Output is appended to `logFile`; {@link start} resolves once the server printed
 * its `listening` line.
 */
export class ServerProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    private readonly cli: string,
    private readonly args: readonly string[],
    readonly logFile: string,
  ) {}

  /** Process id while running. */
  get pid(): number | undefined {
    return this.child && this.child.exitCode === null && this.child.signalCode === null
      ? this.child.pid
      : undefined;
  }

  /** Starts the server and waits for its `listening` line; retries while its port is still held (up to `timeoutMs`). */
  async start(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited: string | undefined;
    for (;;) {
      const outcome = await this.startOnce(Math.max(1000, deadline - Date.now()));
      if (outcome === 'listening') return;
      // A later attempt that only ran out of time must not hide why an earlier one exited.
      if (outcome.startsWith('exited')) exited = outcome;
      if (Date.now() > deadline)
        throw new Error(
          `${this.name} did not start within ${timeoutMs} ms: ${exited ?? outcome} (see ${this.logFile})`,
        );
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  private startOnce(timeoutMs: number): Promise<'listening' | string> {
    fs.mkdirSync(path.dirname(this.logFile), { recursive: true });
    const log = fs.openSync(this.logFile, 'a');
    const child = spawn(process.execPath, [...TS_NODE_ARGS, path.join(REPO_ROOT, this.cli), ...this.args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', log],
    });
    fs.closeSync(log);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    return new Promise((resolve) => {
      let out = '';
      let listening = false;
      const timer = setTimeout(() => resolve(`no "listening" line within ${timeoutMs} ms`), timeoutMs);
      child.stdout!.on('data', (d: Buffer) => {
        fs.appendFileSync(this.logFile, d);
        if (listening) return;
        out += d.toString();
        if (out.includes('listening on')) {
          listening = true;
          clearTimeout(timer);
          resolve('listening');
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        resolve(`exited (${signal ?? `code ${code}`})`);
      });
    });
  }

  /** Sends `signal` (SIGKILL: a crash; SIGTERM: a clean stop) and waits for the exit. */
  async signal(signal: NodeJS.Signals): Promise<void> {
    if (this.pid === undefined) return;
    this.child!.kill(signal);
    await this.exited;
  }

  /** SIGTERM, then SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.pid === undefined) return;
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), timeoutMs);
    await this.signal('SIGTERM');
    clearTimeout(timer);
  }
}
