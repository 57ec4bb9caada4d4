/**
 * `npm start` (scripts/start.ts) in a test mode: any free ports, a temporary data directory, a
 * fast live view. Purchases must be flowing through the services within 30 s of the generator
 * starting, and SIGINT must stop everything cleanly. With `KAFKA_BROKERS` set it must use that
 * cluster instead of starting a broker.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { startBroker, tempDir, waitFor } from '@gmart/test-support';
import { REPO_ROOT, TS_NODE_ARGS, endOffsetSum } from '@gmart/test-support/local-stack';

jest.setTimeout(240_000);

/** A running `scripts/start.ts` and everything it printed so far. */
class StartProcess {
  readonly child: ChildProcess;
  output = '';

  constructor(dataDir: string, env: Record<string, string>) {
    this.child = spawn(
      process.execPath,
      [
        ...TS_NODE_ARGS,
        path.join(REPO_ROOT, 'scripts/start.ts'),
        '--kafka-port',
        '0',
        '--kafka-metrics-port',
        '0',
        '--http-ports',
        'ephemeral',
        '--data-dir',
        dataDir,
        '--interval-ms',
        '1000',
        '--rate',
        '50',
      ],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, KAFKA_BROKERS: '', MONGODB_URI: '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child.stdout!.on('data', (b: Buffer) => (this.output += b.toString('utf8')));
    this.child.stderr!.on('data', (b: Buffer) => (this.output += b.toString('utf8')));
  }

  /** Waits until `test()` holds; fails at once, with the output's tail, if the process exits first. */
  async waitFor(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const tail = () => `; output:\n${this.output.slice(-3000)}`;
    try {
      await waitFor(() => test() || this.child.exitCode !== null, timeoutMs, what, 250);
    } catch (e) {
      throw new Error(`${(e as Error).message}${tail()}`, { cause: e });
    }
    if (!test()) throw new Error(`${what} not seen: the process exited (${this.child.exitCode})${tail()}`);
  }

  /** True when the latest live-view frame shows records flowing through masking, patterns and rewards. */
  flowing(): boolean {
    const frames = this.output.split(/\n(?=\[\d\d:\d\d:\d\d\])/).filter((f) => f.startsWith('['));
    const last = frames.at(-1) ?? '';
    const input = Number(/transactions (\d+)/.exec(last)?.[1] ?? 0);
    const rows = [
      ...last.matchAll(/^\s+(masking|patterns|rewards)\s+RUNNING\s+processed\s+(\d+)\s+([\d.]+)\/s/gm),
    ];
    return (
      input > 0 &&
      rows.length === 3 &&
      rows.every((r) => Number(r[2]) > 0 && Number(r[3]) > 0) &&
      /top rewards: \d+ \d+/.test(last)
    );
  }

  /** The latest live-view frame's row of `instance`: its state, processed count and lag. */
  row(instance: string): { state: string; processed: number; lag: number } | undefined {
    const frames = this.output.split(/\n(?=\[\d\d:\d\d:\d\d\])/).filter((f) => f.startsWith('['));
    const m = new RegExp(
      `^\\s+${instance}\\s+(\\S.*?)\\s+processed\\s+(\\d+)\\s+\\S+/s\\s+lag (\\d+)`,
      'm',
    ).exec(frames.at(-1) ?? '');
    return m ? { state: m[1]!, processed: Number(m[2]), lag: Number(m[3]) } : undefined;
  }

  /** Pid of a service as printed at start (`  masking (pid 123): ...`). */
  pidOf(instance: string): number {
    const m = new RegExp(`^\\s+${instance} \\(pid (\\d+)\\)`, 'm').exec(this.output);
    if (!m) throw new Error(`no pid printed for ${instance}`);
    return Number(m[1]);
  }

  async interrupt(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((r) => this.child.once('exit', (c) => r(c)));
    this.child.kill('SIGINT');
    return exited;
  }

  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGKILL');
      await exited;
    }
  }
}

describe('npm start', () => {
  let dataDir: string;
  let start: StartProcess | undefined;

  beforeEach(() => {
    dataDir = tempDir('gmart-npm-start');
  });

  afterEach(async () => {
    await start?.kill();
    start = undefined;
  });

  it('starts the broker, the topics and every service, shows purchases flowing within 30 s, shows the broker lag of a stalled service, restarts a killed one, and stops on SIGINT', async () => {
    start = new StartProcess(dataDir, {});
    await start.waitFor(() => start!.output.includes('generator producing'), 180_000, 'the stack starting');
    expect(start.output).toMatch(/embedded Kafka broker on/);
    for (const name of ['masking', 'patterns', 'rewards'])
      expect(start.output).toMatch(new RegExp(`${name} ready on http://`));
    const urls = [...start.output.matchAll(/ready on (http:\/\/[^\s]+)/g)].map((m) => m[1]!);

    await start.waitFor(
      () => start!.flowing(),
      30_000,
      'purchases flowing through masking, patterns and rewards',
    );
    expect(start.output).toMatch(/storage ready on http:\/\//);
    await start.waitFor(
      () => [...start!.output.matchAll(/stored in MongoDB (\d+)/g)].some((m) => Number(m[1]) > 0),
      60_000,
      'the live view showing purchases stored in MongoDB',
    );
    // coupon-join runs too, and the live view shows the coupons it issued.
    expect(start.output).toMatch(/coupon-join ready on http:\/\//);
    await start.waitFor(
      () => [...start!.output.matchAll(/coupons issued .*?: (\d+)/g)].some((m) => Number(m[1]) > 0),
      60_000,
      'the live view showing coupons issued',
    );

    // A stalled service (SIGSTOP: no /metrics, no commits) shows its group's real lag from the
    // broker's metrics while records wait, not "lag 0".
    const patternsPid = start.pidOf('patterns');
    process.kill(patternsPid, 'SIGSTOP');
    try {
      await start.waitFor(
        () => {
          const row = start!.row('patterns');
          return row !== undefined && row.state === 'no answer' && row.lag > 0;
        },
        30_000,
        'the stalled patterns service shown unanswering with a nonzero lag',
      );
    } finally {
      process.kill(patternsPid, 'SIGCONT');
    }

    // kill -9 a service: npm start says so, restarts it after the backoff, and the view shows it again.
    const maskingPid = start.pidOf('masking');
    const before = start.output.length;
    process.kill(maskingPid, 'SIGKILL');
    await start.waitFor(
      () => /masking exited \(signal SIGKILL\); restarting in \d+ ms/.test(start!.output.slice(before)),
      15_000,
      'the exit of masking reported',
    );
    await start.waitFor(
      () => /masking restarted \(pid \d+, restart 1\)/.test(start!.output.slice(before)),
      15_000,
      'masking restarted',
    );
    const newPid = Number(/masking restarted \(pid (\d+)/.exec(start.output.slice(before))![1]);
    expect(newPid).not.toBe(maskingPid);
    await start.waitFor(
      () => /masking ready again on http:\/\//.test(start!.output.slice(before)),
      90_000,
      'the restarted masking ready',
    );
    await start.waitFor(
      () => start!.row('masking')?.state === 'RUNNING',
      30_000,
      'the live view showing masking RUNNING again',
    );
    const processedBefore = start.row('masking')!.processed;
    await start.waitFor(
      () => (start!.row('masking')?.processed ?? 0) > processedBefore,
      60_000,
      'the restarted masking processing records',
    );

    expect(await start.interrupt()).toBe(0);
    expect(start.output).toContain('stopped');
    for (const url of urls) await expect(fetch(`${url}/health/live`)).rejects.toThrow();
  });

  it('uses the cluster in KAFKA_BROKERS instead of starting a broker', async () => {
    const { broker, kafka } = await startBroker({
      dataDir: path.join(dataDir, 'external-kafka'),
      clientId: 'npm-start-test',
    });
    try {
      start = new StartProcess(path.join(dataDir, 'stack'), { KAFKA_BROKERS: broker.bootstrapServers });
      await start.waitFor(() => start!.output.includes('generator producing'), 180_000, 'the stack starting');
      expect(start.output).toContain(`using Kafka at ${broker.bootstrapServers}`);
      expect(start.output).not.toMatch(/embedded Kafka broker on/);
      await start.waitFor(() => start!.flowing(), 30_000, 'purchases flowing');
      expect(await endOffsetSum(kafka, 'purchases')).toBeGreaterThan(0);
      expect(await start.interrupt()).toBe(0);
    } finally {
      await start?.kill();
      await broker.stop();
    }
  });
});
