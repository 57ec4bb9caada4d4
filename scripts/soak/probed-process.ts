import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, TS_NODE_ARGS } from '../local-stack/repo-root';
import { MEMORY_AFTER_GC_REQUEST, MEMORY_REPLY, MEMORY_REQUEST, type MemoryReply } from './memory-probe';

const PROBE = path.join(__dirname, 'memory-probe.ts');

/** Options of {@link ProbedProcess.start}. */
export interface ProbedProcessOptions {
  /** Row name in the soak table (`broker`, `generator`, ...). */
  readonly name: string;
  /** The TypeScript entry point, relative to the repository root. */
  readonly script: string;
  readonly args: readonly string[];
  /** Receives the process's stdout and stderr. */
  readonly logFile: string;
  /** Started once a line of stdout or stderr matches; its match is {@link ProbedProcess.ready}'s value. */
  readonly readyLine: RegExp;
  /** How long to wait for {@link readyLine} (default 90 s). */
  readonly timeoutMs?: number;
  /** Run with `--expose-gc`, so that {@link ProbedProcess.memory} can collect first. */
  readonly exposeGc?: boolean;
}

/**
 * A Node process of the soak other than a service (broker, MongoDB, generators), run from source
 * with {@link PROBE} preloaded so that {@link memory} can ask it for its V8 heap over IPC.
 */
export class ProbedProcess {
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private output = '';
  private stopped = false;
  private readonly log: fs.WriteStream;

  private constructor(readonly options: ProbedProcessOptions) {
    fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
    this.log = fs.createWriteStream(options.logFile, { flags: 'a' });
    this.child = spawn(
      process.execPath,
      [
        ...(options.exposeGc ? ['--expose-gc'] : []),
        ...TS_NODE_ARGS,
        '-r',
        PROBE,
        path.join(REPO_ROOT, options.script),
        ...options.args,
      ],
      { cwd: REPO_ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
    );
    for (const stream of [this.child.stdout!, this.child.stderr!])
      stream.on('data', (b: Buffer) => {
        this.log.write(b);
        if (this.output.length < 64 * 1024) this.output += b.toString('utf8');
      });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  /** Spawns the process and resolves with it and the match of its ready line. */
  static async start(
    options: ProbedProcessOptions,
  ): Promise<{ process: ProbedProcess; match: RegExpExecArray }> {
    const p = new ProbedProcess(options);
    const deadline = Date.now() + (options.timeoutMs ?? 90_000);
    for (;;) {
      const m = options.readyLine.exec(p.output);
      if (m) return { process: p, match: m };
      if (!p.running) throw new Error(`${options.name} exited before starting:\n${p.output.slice(-2000)}`);
      if (Date.now() > deadline) {
        await p.stop();
        throw new Error(`${options.name} did not start in time:\n${p.output.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  get name(): string {
    return this.options.name;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * The process's own `process.memoryUsage()` over IPC (after two full collections with `afterGc`
   * in an `exposeGc` process), or undefined when it does not answer in time.
   */
  memory(afterGc = false): Promise<MemoryReply | undefined> {
    if (!this.running || !this.child.connected) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const done = (reply: MemoryReply | undefined) => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        resolve(reply);
      };
      const onMessage = (m: unknown) => {
        if ((m as MemoryReply | null)?.type === MEMORY_REPLY) done(m as MemoryReply);
      };
      const timer = setTimeout(() => done(undefined), afterGc ? 30_000 : 3000);
      this.child.on('message', onMessage);
      try {
        this.child.send(afterGc ? MEMORY_AFTER_GC_REQUEST : MEMORY_REQUEST);
      } catch {
        done(undefined);
      }
    });
  }

  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves once it exited and its log is flushed. */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.running) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
      await this.exited;
      clearTimeout(timer);
    }
    await new Promise<void>((r) => this.log.end(r));
  }
}
