/**
 * `npm start` (scripts/start.ts) in a test mode: any free ports, a temporary data directory, a
 * fast live view. Purchases must be flowing through the services within 30 s of the generator
 * starting, and SIGINT must stop everything cleanly.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, TS_NODE_ARGS } from '../../../scripts/local-stack';

jest.setTimeout(240_000);

describe('npm start', () => {
  let dataDir: string;
  let child: ChildProcess | undefined;
  let output = '';

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmart-npm-start-'));
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((r) => child!.once('exit', r));
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const waitFor = (test: () => boolean, timeoutMs: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const tick = setInterval(() => {
        if (test()) {
          clearInterval(tick);
          resolve();
        } else if (Date.now() - started > timeoutMs || child?.exitCode !== null) {
          clearInterval(tick);
          reject(new Error(`${what} not seen within ${timeoutMs} ms; output:\n${output.slice(-3000)}`));
        }
      }, 250);
    });

  it('starts the broker, the topics and every service, shows purchases flowing within 30 s, and stops on SIGINT', async () => {
    child = spawn(
      process.execPath,
      [...TS_NODE_ARGS, path.join(REPO_ROOT, 'scripts/start.ts'), '--kafka-port', '0', '--http-ports', 'ephemeral', '--data-dir', dataDir, '--interval-ms', '1000', '--rate', '50'],
      { cwd: REPO_ROOT, env: { ...process.env, KAFKA_BROKERS: '', MONGODB_URI: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (b: Buffer) => (output += b.toString('utf8')));
    child.stderr!.on('data', (b: Buffer) => (output += b.toString('utf8')));

    await waitFor(() => output.includes('generator producing'), 180_000, 'the stack starting');
    for (const name of ['masking', 'patterns', 'rewards']) expect(output).toMatch(new RegExp(`${name} ready on http://`));
    const urls = [...output.matchAll(/ready on (http:\/\/[^\s]+)/g)].map((m) => m[1]!);

    // Flowing: a frame where transactions grew and every service processed records with a rate.
    const flowing = () => {
      const frames = output.split(/\n(?=\[\d\d:\d\d:\d\d\])/).filter((f) => f.startsWith('['));
      const last = frames.at(-1) ?? '';
      const input = Number(/transactions (\d+)/.exec(last)?.[1] ?? 0);
      const rows = [...last.matchAll(/^\s+(masking|patterns|rewards)\s+up\s+processed\s+(\d+)\s+([\d.]+)\/s/gm)];
      return input > 0 && rows.length === 3 && rows.every((r) => Number(r[2]) > 0 && Number(r[3]) > 0) && /top rewards: \d+ \d+/.test(last);
    };
    await waitFor(flowing, 30_000, 'purchases flowing through masking, patterns and rewards');

    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child!.once('exit', (c) => r(c)));
    expect(code).toBe(0);
    expect(output).toContain('stopped');
    for (const url of urls) await expect(fetch(`${url}/health/live`)).rejects.toThrow();
  });
});
