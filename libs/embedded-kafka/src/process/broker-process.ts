import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

/** The embedded broker running as a child process through its CLI (as a real broker runs beside its clients). */
export interface BrokerProcess {
  readonly child: ChildProcess;
  /** `host:port` from the CLI's "listening on" line. */
  readonly bootstrapServers: string;
  /** Port of `/metrics` when started with `--metrics-port`. */
  readonly metricsPort: number | undefined;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (or signal) once the process ends. */
  exited(): Promise<number | NodeJS.Signals>;
  /** SIGTERM (the CLI's clean stop), then waits for the exit. */
  stop(): Promise<number | NodeJS.Signals>;
}

/** Options of {@link spawnBrokerProcess}. */
export interface BrokerProcessOptions {
  /** How long to wait for the "listening on" line. Default 60 s. */
  readonly timeoutMs?: number;
  /** Working directory of the child. Default this package's directory. */
  readonly cwd?: string;
  /**
   * Extra Node flags of the child (e.g. `--cpu-prof`), before the CLI and after
   * {@link BROKER_NODE_FLAGS} (so a flag given here wins).
   */
  readonly nodeArgs?: readonly string[];
  /**
   * Environment of the child. Default this process's, plus {@link BROKER_MALLOC_TUNABLE} in
   * `GLIBC_TUNABLES` unless that variable already sets `glibc.malloc.hugetlb`.
   */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * glibc's malloc tunable the broker process runs with: `madvise(MADV_HUGEPAGE)` on the memory malloc takes
 * from the system, so where the kernel's transparent huge pages are in `madvise` mode (the default of many
 * distributions) it is faulted in 2 MiB at a time instead of 4 KiB. The broker's large buffers (Produce
 * frames kept by the read cache, socket reads) are fresh memory until a full GC frees them, and on a
 * virtual machine each 4 KiB page fault is expensive: on the 2-core development VM this cut the broker's
 * page faults about 7-fold and its CPU per record by about a fifth (README, "Memory"). Ignored by other
 * C libraries; a kernel without transparent huge pages (or with them `never`) faults 4 KiB pages as before.
 */
export const BROKER_MALLOC_TUNABLE = 'glibc.malloc.hugetlb=1';

/**
 * V8 flags the broker process runs with, before the caller's `nodeArgs`:
 * `--invocation-count-for-turbofan=500` (V8's default 3000). The broker's hot functions run once per
 * request or per partition, not per record, so with the default they stay in V8's baseline tier for
 * most of a test or benchmark run (`perf`: inline-cache and call builtins were about a fifth of its
 * CPU); optimized sooner, its main thread used about 29% less CPU per record in bench:pipeline's
 * three-service case, the whole process (compiler threads included) about the same (README, "Memory"). Override with e.g. `nodeArgs: ['--invocation-count-for-turbofan=3000']`.
 */
export const BROKER_NODE_FLAGS: readonly string[] = ['--invocation-count-for-turbofan=500'];

/**
 * `env` with {@link BROKER_MALLOC_TUNABLE} added to `GLIBC_TUNABLES` (kept as it is when it already
 * sets `glibc.malloc.hugetlb`: the caller's choice wins).
 */
export function brokerProcessEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const tunables = env.GLIBC_TUNABLES ?? '';
  if (/(^|:)glibc\.malloc\.hugetlb=/.test(tunables)) return env;
  return {
    ...env,
    GLIBC_TUNABLES: tunables ? `${tunables}:${BROKER_MALLOC_TUNABLE}` : BROKER_MALLOC_TUNABLE,
  };
}

const PACKAGE_DIR = path.resolve(__dirname, '..', '..');

/**
 * The command that runs the CLI: the TypeScript source through `@swc-node/register` when this module
 * itself runs from source (tests, benchmarks, `npm start`), else the built `dist/cli.js`.
 */
function cliCommand(): string[] {
  return __filename.endsWith('.ts')
    ? ['--conditions=@gmart/source', '-r', '@swc-node/register', path.join(PACKAGE_DIR, 'src', 'cli.ts')]
    : [path.join(PACKAGE_DIR, 'dist', 'cli.js')];
}

/**
 * Starts the broker CLI with `args` (e.g. `['--port', '0', '--data-dir', dir]`) and resolves once it
 * listens. Rejects with its stderr if it exits first or does not listen in time (and kills it).
 */
export async function spawnBrokerProcess(
  args: readonly string[],
  options: BrokerProcessOptions = {},
): Promise<BrokerProcess> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const child = spawn(
    process.execPath,
    [...BROKER_NODE_FLAGS, ...(options.nodeArgs ?? []), ...cliCommand(), ...args],
    {
      cwd: options.cwd ?? PACKAGE_DIR,
      env: brokerProcessEnv(options.env ?? process.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | NodeJS.Signals>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)),
  );
  const listening = await new Promise<{ bootstrapServers: string; metricsPort: number | undefined }>(
    (resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the embedded broker did not listen within ${timeoutMs} ms; stderr: ${stderr}`));
      }, timeoutMs);
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const m = /listening on (\S+?)(?:,|\n)(?:.*metrics on :(\d+))?/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve({ bootstrapServers: m[1]!, metricsPort: m[2] ? Number(m[2]) : undefined });
        }
      });
      void exit.then((code) => {
        clearTimeout(timer);
        reject(new Error(`the embedded broker exited (${code}) before listening; stderr: ${stderr}`));
      });
    },
  );
  return {
    child,
    ...listening,
    stderr: () => stderr,
    exited: () => exit,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exit;
    },
  };
}
