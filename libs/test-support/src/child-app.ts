import { type ChildProcess, spawn } from 'node:child_process';
import { TS_NODE_ARGS } from '../../../scripts/local-stack/repo-root';

/** How {@link ChildApp.start} runs a program. */
export interface ChildAppOptions {
  /** Working directory (default the test's: the package running jest). */
  readonly cwd?: string;
  /** Environment on top of the parent's. */
  readonly env?: Record<string, string>;
  /** Called with each line the program prints on stdout (without the newline). */
  readonly onLine?: (line: string) => void;
}

const started = new Set<ChildApp>();

/**
 * A TypeScript program (a streams application under test, a generator, ...) run as its own Node
 * process from the workspace sources, for tests that `kill -9`, stop or restart instances. It keeps
 * what the program printed: stdout lines are counted (e.g. how many times it printed `RUNNING`),
 * stderr is kept whole for failure messages. Every process still running after the test file is
 * `kill -9`-ed (see {@link killChildApps}).
 */
export class ChildApp {
  readonly child: ChildProcess;
  /** Everything the program wrote on stderr so far. */
  err = '';
  private readonly lineCounts = new Map<string, number>();
  private pending = '';
  private readonly exit: Promise<number | null>;

  private constructor(script: string, args: readonly string[], options: ChildAppOptions) {
    this.child = spawn(process.execPath, [...TS_NODE_ARGS, script, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exit = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.stderr!.on('data', (d: Buffer) => (this.err += d.toString()));
    this.child.stdout!.on('data', (d: Buffer) => {
      this.pending += d.toString();
      let nl: number;
      while ((nl = this.pending.indexOf('\n')) >= 0) {
        const line = this.pending.slice(0, nl);
        this.pending = this.pending.slice(nl + 1);
        this.lineCounts.set(line, (this.lineCounts.get(line) ?? 0) + 1);
        options.onLine?.(line);
      }
    });
  }

  /** Starts `script` (a `.ts` file) with `args` under `node --conditions=@gmart/source -r @swc-node/register`. */
  static start(script: string, args: readonly string[] = [], options: ChildAppOptions = {}): ChildApp {
    const app = new ChildApp(script, args, options);
    started.add(app);
    void app.exit.then(() => started.delete(app));
    return app;
  }

  /** How many stdout lines were exactly `line` so far (e.g. `printed('RUNNING')`). */
  printed(line: string): number {
    return this.lineCounts.get(line) ?? 0;
  }

  /** Whether the process has not exited (a stopped one is alive). */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends `signal` (`SIGSTOP`, `SIGCONT`, `SIGUSR2`, ...) if the process is alive. */
  signal(signal: NodeJS.Signals): void {
    if (this.alive) this.child.kill(signal);
  }

  /** Resolves with the exit code (null when a signal ended it) once the process is gone. */
  exited(): Promise<number | null> {
    return this.exit;
  }

  /** Sends `signal` (default `SIGKILL`: `kill -9`) and resolves once the process is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    this.signal(signal);
    return this.exit;
  }
}

/**
 * Runs `body`; if it throws, rethrows with each program's state (alive or exit code) and the last
 * `tailChars` characters of its stderr appended to the message, so a failure in CI shows what the
 * children were doing (e.g. why an instance never reached RUNNING again).
 */
export async function withChildLogs<T>(
  apps: Readonly<Record<string, ChildApp | undefined>>,
  body: () => Promise<T>,
  tailChars = 6000,
): Promise<T> {
  try {
    return await body();
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    const logs = Object.entries(apps)
      .filter((entry): entry is [string, ChildApp] => entry[1] !== undefined)
      .map(([name, app]) => {
        const state = app.alive ? 'alive' : `exited (${app.child.exitCode ?? app.child.signalCode})`;
        return `--- ${name}: ${state}, stderr tail ---\n${app.err.slice(-tailChars)}`;
      });
    e.message += `\n${logs.join('\n')}`;
    throw e;
  }
}

/** `kill -9`s every {@link ChildApp} still running and waits until they are gone; runs by itself after each test file. */
export async function killChildApps(): Promise<void> {
  await Promise.all([...started].map((app) => app.kill()));
}

// Jest gives each test file its own module registry, so this registers once per file.
if (typeof afterAll === 'function') afterAll(() => killChildApps());
