import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  FIXED_SEMI_SPACE_VARIABLE,
  SINGLE_THREADED_GC_VARIABLE,
  serviceMallocEnv,
  serviceNodeFlags,
} from '@gmart/deploy';
import { REPO_ROOT, TS_NODE_ARGS } from './repo-root';
import type { ServiceDefinition } from './service-definitions';

/** How to start one service process. */
export interface ServiceProcessOptions {
  readonly definition: ServiceDefinition;
  /** Environment on top of the parent's (KAFKA_BROKERS, HTTP_PORT, APPLICATION_ID, ...). */
  readonly env: Record<string, string>;
  /** File that receives the process's stdout and stderr (JSON log lines). */
  readonly logFile: string;
  /** Name shown in messages (default the service name; `rewards-2` for a second instance). */
  readonly instance?: string;
  /**
   * Extra Node flags (before the TypeScript loader flags), after the services' runtime flags of
   * `@gmart/deploy`'s `serviceNodeFlags` (`--max-semi-space-size=32` unless `NODE_OPTIONS` sets it, and
   * `--min-semi-space-size` equal to the cap unless `GMART_FIXED_SEMI_SPACE=false`, `--single-threaded-gc`
   * unless the service runs with V8's parallel GC by default (stock-analytics) or `GMART_SINGLE_THREADED_GC=false`;
   * `GMART_SINGLE_THREADED_GC=true` gives it to every service), so one given here wins.
   */
  readonly nodeArgs?: readonly string[];
}

/**
 * One service running as its own Node process (`node --max-semi-space-size=32 --min-semi-space-size=32 --single-threaded-gc --conditions=@gmart/source
 * -r @swc-node/register apps/<name>/src/main.ts`; stock-analytics without `--single-threaded-gc`), its output appended to a log file. The HTTP base
 * URL is read from the service's `service started` log line, so `HTTP_PORT=0` works.
 */
export class ServiceProcess {
  readonly instance: string;
  private readonly child: ChildProcess;
  private readonly log: fs.WriteStream;
  private baseUrl: string | undefined;
  private readonly exited: Promise<number | null>;
  private readonly logClosed: Promise<void>;
  private exitCode: number | null | undefined;
  private exitSignal: NodeJS.Signals | null = null;
  private stopRequested = false;
  /** When the process was spawned (ms since the epoch). */
  readonly startedAt = Date.now();
  private readonly urlWaiters: Array<(url: string) => void> = [];

  private constructor(readonly options: ServiceProcessOptions) {
    this.instance = options.instance ?? options.definition.name;
    fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
    this.log = fs.createWriteStream(options.logFile, { flags: 'a' });
    const given = { ...process.env, ...options.env };
    // The image's glibc malloc settings, unless the environment sets them (deploy/README.md, Node.js runtime).
    const env = { ...serviceMallocEnv(given), ...given };
    // The services run with the Node flags they are deployed with (deploy/README.md, Node.js runtime).
    const nodeArgs = [
      ...serviceNodeFlags(
        env.NODE_OPTIONS,
        env[FIXED_SEMI_SPACE_VARIABLE],
        env[SINGLE_THREADED_GC_VARIABLE],
        options.definition.name,
      ),
      ...(options.nodeArgs ?? []),
    ];
    this.child = spawn(process.execPath, [...nodeArgs, ...TS_NODE_ARGS, options.definition.main], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let pending = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      this.log.write(chunk);
      pending += chunk.toString('utf8');
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        this.onLine(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    });
    this.child.stderr!.on('data', (chunk: Buffer) => this.log.write(chunk));
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        resolve(code);
      }),
    );
    // Once stdout and stderr are drained the log is complete: close it (a restart appends to it).
    this.logClosed = new Promise((resolve) => this.child.once('close', () => this.log.end(resolve)));
  }

  /** Spawns the process (it starts in the background; see {@link waitReady}). */
  static start(options: ServiceProcessOptions): ServiceProcess {
    return new ServiceProcess(options);
  }

  private onLine(line: string): void {
    if (this.baseUrl || !line.includes('service started')) return;
    try {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'service started' && entry.url) {
        this.baseUrl = entry.url;
        for (const w of this.urlWaiters.splice(0)) w(entry.url);
      }
    } catch {
      // not a JSON line
    }
  }

  /**
   * Resolves when the process exits with how it ended, and whether {@link stop} or {@link kill}
   * asked for it (a supervisor restarts only the exits nobody asked for).
   */
  async whenExited(): Promise<{ code: number | null; signal: NodeJS.Signals | null; requested: boolean }> {
    await this.exited;
    return { code: this.exitCode ?? null, signal: this.exitSignal, requested: this.stopRequested };
  }

  /** The consumer group of the service: `APPLICATION_ID`, by default `gmart-<service>`. */
  get applicationId(): string {
    return this.options.env.APPLICATION_ID ?? `gmart-${this.options.definition.name}`;
  }

  /** Process id. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True until the process exits. */
  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** Base URL of `/metrics`, `/health/*` (known once the service logged `service started`). */
  get url(): string | undefined {
    return this.baseUrl;
  }

  /** Waits until `GET /health/ready` answers 200 (streams RUNNING); throws if the process exits first. */
  async waitReady(timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    const url = await Promise.race([
      this.baseUrl ? Promise.resolve(this.baseUrl) : new Promise<string>((r) => this.urlWaiters.push(r)),
      this.exited.then((code) => {
        throw new Error(
          `${this.instance} exited with code ${code} before starting; see ${this.options.logFile}`,
        );
      }),
      new Promise<never>((_, reject) =>
        setTimeout(
          () =>
            reject(
              new Error(`${this.instance} did not start within ${timeoutMs} ms; see ${this.options.logFile}`),
            ),
          timeoutMs,
        ).unref(),
      ),
    ]);
    while (Date.now() < deadline) {
      if (!this.running)
        throw new Error(`${this.instance} exited with code ${this.exitCode}; see ${this.options.logFile}`);
      try {
        const res = await fetch(`${url}/health/ready`);
        if (res.status === 200) return url;
      } catch {
        // not yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.instance} was not ready within ${timeoutMs} ms; see ${this.options.logFile}`);
  }

  /** The `/metrics` text, or undefined when the service does not answer. */
  async metrics(): Promise<string | undefined> {
    if (!this.baseUrl || !this.running) return undefined;
    try {
      const res = await fetch(`${this.baseUrl}/metrics`, { signal: AbortSignal.timeout(3000) });
      return res.ok ? await res.text() : undefined;
    } catch {
      return undefined;
    }
  }

  /** SIGTERM (graceful: commit and close), then SIGKILL after `timeoutMs`. Resolves with the exit code. */
  async stop(timeoutMs = 15_000): Promise<number | null> {
    this.stopRequested = true;
    if (this.running) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
      await this.exited;
      clearTimeout(timer);
    }
    await this.logClosed;
    return this.exitCode ?? null;
  }

  /** SIGKILL: a crash, nothing committed or closed. */
  async kill(): Promise<void> {
    this.stopRequested = true;
    if (this.running) this.child.kill('SIGKILL');
    await this.exited;
    await this.logClosed;
  }
}
