import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  PARALLEL_GC_SERVICES,
  SERVICE_MALLOC_ENV,
  SERVICE_MAX_SEMI_SPACE_MIB,
  SINGLE_THREADED_GC_FLAG,
  serviceNodeFlags,
} from '../src';
import { DEPLOY_DIR, DOCKERFILE, REPO_ROOT } from './support/paths';

const run = promisify(execFile);

interface Instruction {
  op: string;
  args: string;
  stage: string;
}

/** Dockerfile instructions (continuation lines joined, comments dropped), each tagged with its build stage. */
function instructions(text: string): Instruction[] {
  const joined = text.replace(/\\\n/g, ' ');
  const out: Instruction[] = [];
  let stage = '';
  for (const line of joined.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const m = /^(\w+)\s+(.*)$/.exec(t);
    if (!m) continue;
    const op = m[1].toUpperCase();
    if (op === 'FROM') stage = /\bAS\s+(\S+)/i.exec(m[2])?.[1] ?? '';
    out.push({ op, args: m[2], stage });
  }
  return out;
}

/** A .dockerignore matcher with Docker's rules: `**`, `*`, `?`, `!` exceptions, last match wins, parents count. */
function dockerignore(text: string): (file: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = (negate ? l.slice(1) : l).replace(/^\/+/, '');
      const re = pattern
        .split(/(\*\*\/|\*\*|\*|\?)/)
        .map((part) => {
          if (part === '**/') return '(?:.*/)?';
          if (part === '**') return '.*';
          if (part === '*') return '[^/]*';
          if (part === '?') return '[^/]';
          return part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
        })
        .join('');
      return { negate, re: new RegExp(`^${re}(?:/.*)?$`) };
    });
  return (file) => {
    let excluded = false;
    for (const r of rules) if (r.re.test(file)) excluded = !r.negate;
    return excluded;
  };
}

const docker = instructions(fs.readFileSync(DOCKERFILE, 'utf8'));
const ignored = dockerignore(fs.readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8'));
const inStage = (stage: string) => docker.filter((i) => i.stage === stage);

describe('Dockerfile', () => {
  it('is multi-stage on a slim base of the supported Node major (.nvmrc) and ends with the runtime stage', () => {
    const major = fs.readFileSync(path.join(REPO_ROOT, '.nvmrc'), 'utf8').trim().split('.')[0];
    expect(Number(major)).toBeGreaterThanOrEqual(22);
    const arg = docker.find((i) => i.op === 'ARG' && i.args.startsWith('NODE_IMAGE='));
    expect(arg?.args).toMatch(new RegExp(`^NODE_IMAGE=node:${major}[\\w.-]*-slim$`));
    const froms = docker.filter((i) => i.op === 'FROM');
    expect(froms.map((f) => f.stage)).toEqual(['manifests', 'build', 'prod-deps', 'runtime']);
    for (const f of froms) expect(f.args).toMatch(/^\$\{NODE_IMAGE\} AS /);
  });

  it('builds with all dependencies but ships production dependencies only', () => {
    expect(
      inStage('build').some(
        (i) =>
          i.op === 'RUN' &&
          /npm ci\b/.test(i.args) &&
          /npm run build/.test(
            docker
              .filter((x) => x.stage === 'build')
              .map((x) => x.args)
              .join(' '),
          ),
      ),
    ).toBe(true);
    expect(inStage('prod-deps').some((i) => i.op === 'RUN' && /npm ci --omit=dev/.test(i.args))).toBe(true);
    const runtimeCopies = inStage('runtime').filter((i) => i.op === 'COPY');
    const fromStages = runtimeCopies.map((c) => /--from=(\S+)/.exec(c.args)?.[1]).filter(Boolean);
    expect(fromStages.sort()).toEqual(['build', 'prod-deps']);
    // no whole-context copy into the runtime image (sources, dev tooling)
    for (const c of runtimeCopies) expect(c.args).not.toMatch(/^(--chown=\S+\s+)?\.\s/);
    expect(runtimeCopies.find((c) => c.args.includes('--from=build'))!.args).toContain('/dist-out/');
  });

  it('runs as a non-root numeric user with a state volume, a health check on /health/live and the gmart entrypoint', () => {
    const rt = inStage('runtime');
    const user = rt.filter((i) => i.op === 'USER').pop()!;
    expect(user.args).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    expect(rt.find((i) => i.op === 'VOLUME')!.args).toContain('/var/lib/gmart/state');
    expect(rt.find((i) => i.op === 'ENV')!.args).toContain('STATE_DIR=/var/lib/gmart/state');
    // glibc malloc settings of the services (deploy/README.md, Node.js runtime), as the local stack sets them.
    for (const [k, v] of Object.entries(SERVICE_MALLOC_ENV))
      expect(rt.find((i) => i.op === 'ENV')!.args.split(/\s+/)).toContain(`${k}=${v}`);
    const hc = rt.find((i) => i.op === 'HEALTHCHECK')!;
    expect(hc.args).toContain('CMD ["node", "/usr/local/lib/gmart/healthcheck.js"]');
    expect(fs.readFileSync(path.join(DEPLOY_DIR, 'docker/healthcheck.js'), 'utf8')).toContain(
      "'/health/live'",
    );
    expect(rt.find((i) => i.op === 'ENTRYPOINT')!.args).toBe('["/usr/local/bin/gmart"]');
  });

  it('every file copied from the build context exists and is not excluded by .dockerignore', () => {
    const sources = docker
      .filter((i) => i.op === 'COPY' && !i.args.includes('--from='))
      .map((i) =>
        i.args
          .replace(/--\S+\s+/g, '')
          .split(/\s+/)
          .slice(0, -1),
      )
      .flat()
      .filter((s) => s !== '.');
    expect(sources).toEqual([
      'deploy/topics.yaml',
      'deploy/docker/entrypoint.sh',
      'deploy/docker/healthcheck.js',
    ]);
    for (const s of sources) {
      expect(fs.existsSync(path.join(REPO_ROOT, s))).toBe(true);
      expect({ file: s, ignored: ignored(s) }).toEqual({ file: s, ignored: false });
    }
  });
});

describe('.dockerignore', () => {
  it('keeps local state, build output, dependencies and secrets out of the context', () => {
    for (const f of [
      'node_modules/kafkajs/package.json',
      'libs/streams/node_modules/x',
      'libs/streams/dist/index.js',
      '.git/HEAD',
      '.data/kafka/0.log',
      '.nx/cache/x',
      'deploy/compose/mongo.env',
      'apps/masking/test/x.test.ts',
    ]) {
      expect({ file: f, ignored: ignored(f) }).toEqual({ file: f, ignored: true });
    }
  });

  it('keeps everything the build needs', () => {
    for (const f of [
      'package.json',
      'package-lock.json',
      'nx.json',
      'tsconfig.base.json',
      'libs/streams/src/index.ts',
      'libs/streams/tsconfig.build.json',
      'apps/masking/src/main.ts',
      'deploy/src/index.ts',
      'deploy/package.json',
      'deploy/topics.yaml',
      'deploy/compose/mongo.env.example',
    ]) {
      expect({ file: f, ignored: ignored(f) }).toEqual({ file: f, ignored: false });
    }
  });
});

describe('image entrypoint (deploy/docker/entrypoint.sh)', () => {
  const entrypoint = path.join(DEPLOY_DIR, 'docker/entrypoint.sh');
  const sh = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    try {
      const { stdout, stderr } = await run('/bin/sh', [entrypoint, ...args], {
        env: { PATH: process.env.PATH, ...env },
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it('refuses to start without a service name and lists the choices', async () => {
    const r = await sh([]);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain(
      'name a service (masking, patterns, rewards, storage, coupon-join, stock-analytics)',
    );
  });

  it('names a service missing from the image instead of crashing in node', async () => {
    const r = await sh(['stock-analytics']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain("service 'stock-analytics' is not in this image");
    const viaEnv = await sh([], { GMART_SERVICE: 'rewards' });
    expect(viaEnv.stderr).toContain("service 'rewards' is not in this image");
  });

  it('runs any other command as given', async () => {
    const r = await sh(['echo', 'hello', 'gmart']);
    expect(r).toEqual({ code: 0, stdout: 'hello gmart\n', stderr: '' });
  });

  it(`starts Node with --max-semi-space-size=${SERVICE_MAX_SEMI_SPACE_MIB} unless NODE_OPTIONS sets the size, keeping other flags`, async () => {
    const nodeOptions = async (env: NodeJS.ProcessEnv) =>
      (await sh(['sh', '-c', 'printf %s "$NODE_OPTIONS"'], env)).stdout;
    const flag = `--max-semi-space-size=${SERVICE_MAX_SEMI_SPACE_MIB}`;
    expect(await nodeOptions({})).toBe(flag);
    expect(await nodeOptions({ NODE_OPTIONS: '' })).toBe(flag);
    expect(await nodeOptions({ NODE_OPTIONS: '--max-old-space-size=400' })).toBe(
      `${flag} --max-old-space-size=400`,
    );
    for (const own of ['--max-semi-space-size=8', '--trace-gc --max_semi_space_size=64'])
      expect(await nodeOptions({ NODE_OPTIONS: own })).toBe(own);
  });

  it(`starts the node programs with the cap in effect as the semi-space's floor (--min-semi-space-size), unless GMART_FIXED_SEMI_SPACE=false, and --single-threaded-gc unless GMART_SINGLE_THREADED_GC=false`, async () => {
    // A stand-in `node` first on PATH prints the arguments the entrypoint gives it.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'gmart-entrypoint-node-'));
    try {
      fs.writeFileSync(path.join(bin, 'node'), '#!/bin/sh\nprintf "%s\\n" "$@"\n', { mode: 0o755 });
      const nodeArgs = async (args: string[], env: NodeJS.ProcessEnv) => {
        const r = await sh(args, { ...env, PATH: `${bin}:${process.env.PATH}` });
        expect(r.code).toBe(0);
        return r.stdout.trim().split('\n');
      };
      const floor = `--min-semi-space-size=${SERVICE_MAX_SEMI_SPACE_MIB}`;
      const gc = SINGLE_THREADED_GC_FLAG;
      const noGc = { GMART_SINGLE_THREADED_GC: 'false' };
      expect(await nodeArgs(['generate', '--rate', '5'], noGc)).toEqual([
        floor,
        '/app/libs/gmart/dist/cli/generate.js',
        '--rate',
        '5',
      ]);
      for (const cmd of ['generate-stocks', 'create-topics'])
        expect((await nodeArgs([cmd], { ...noGc, NODE_OPTIONS: '--max-old-space-size=400' }))[0]).toBe(floor);
      // The last cap NODE_OPTIONS gives (either spelling, `=` or a space) is the floor; 0 gives none.
      expect(
        (
          await nodeArgs(['generate'], {
            ...noGc,
            NODE_OPTIONS: '--max_semi_space_size=64 --max-semi-space-size 8',
          })
        )[0],
      ).toBe('--min-semi-space-size=8');
      expect(await nodeArgs(['generate'], { ...noGc, NODE_OPTIONS: '--max-semi-space-size=0' })).toEqual([
        '/app/libs/gmart/dist/cli/generate.js',
      ]);
      expect(await nodeArgs(['generate'], { ...noGc, GMART_FIXED_SEMI_SPACE: 'false' })).toEqual([
        '/app/libs/gmart/dist/cli/generate.js',
      ]);
      // --single-threaded-gc after the floor unless GMART_SINGLE_THREADED_GC=false (any other value keeps it).
      expect(await nodeArgs(['generate'], {})).toEqual([floor, gc, '/app/libs/gmart/dist/cli/generate.js']);
      expect(await nodeArgs(['generate'], { GMART_SINGLE_THREADED_GC: 'true' })).toEqual([
        floor,
        gc,
        '/app/libs/gmart/dist/cli/generate.js',
      ]);
      for (const cmd of ['generate-stocks', 'create-topics'])
        expect((await nodeArgs([cmd], {})).slice(0, 2)).toEqual([floor, gc]);
      expect(await nodeArgs(['generate'], { GMART_FIXED_SEMI_SPACE: 'false' })).toEqual([
        gc,
        '/app/libs/gmart/dist/cli/generate.js',
      ]);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
    // The same rule as the local stack's (npm start, the bench): @gmart/deploy's serviceNodeFlags.
    const flag = `--max-semi-space-size=${SERVICE_MAX_SEMI_SPACE_MIB}`;
    const floor = `--min-semi-space-size=${SERVICE_MAX_SEMI_SPACE_MIB}`;
    const gc = SINGLE_THREADED_GC_FLAG;
    expect(serviceNodeFlags(undefined)).toEqual([flag, floor, gc]);
    expect(serviceNodeFlags('--max-old-space-size=400')).toEqual([flag, floor, gc]);
    expect(serviceNodeFlags('--trace-gc --max_semi_space_size=64')).toEqual(['--min-semi-space-size=64', gc]);
    expect(serviceNodeFlags('--max-semi-space-size=64 --max-semi-space-size 8')).toEqual([
      '--min-semi-space-size=8',
      gc,
    ]);
    expect(serviceNodeFlags('--max-semi-space-size=0')).toEqual([gc]);
    expect(serviceNodeFlags(undefined, 'false')).toEqual([flag, gc]);
    expect(serviceNodeFlags('--max-semi-space-size=16', 'false')).toEqual([gc]);
    expect(serviceNodeFlags(undefined, undefined, 'false')).toEqual([flag, floor]);
    expect(serviceNodeFlags(undefined, undefined, 'true')).toEqual([flag, floor, gc]);
    expect(serviceNodeFlags('--max-semi-space-size=16', 'false', 'false')).toEqual([]);
    // Per service: stock-analytics runs with V8's parallel GC unless GMART_SINGLE_THREADED_GC sets the flag.
    expect(serviceNodeFlags(undefined, undefined, undefined, 'masking')).toEqual([flag, floor, gc]);
    expect(serviceNodeFlags(undefined, undefined, undefined, 'stock-analytics')).toEqual([flag, floor]);
    expect(serviceNodeFlags(undefined, undefined, '', 'stock-analytics')).toEqual([flag, floor]);
    expect(serviceNodeFlags(undefined, undefined, 'true', 'stock-analytics')).toEqual([flag, floor, gc]);
    expect(serviceNodeFlags(undefined, undefined, 'false', 'stock-analytics')).toEqual([flag, floor]);
    expect(serviceNodeFlags(undefined, undefined, 'false', 'coupon-join')).toEqual([flag, floor]);
  });

  it('starts stock-analytics without --single-threaded-gc and every other service with it; GMART_SINGLE_THREADED_GC overrides either way', async () => {
    // The entrypoint with its /app paths moved to a temporary directory that holds a stand-in main.js per service,
    // and a stand-in `node` first on PATH that prints the arguments the entrypoint gives it.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmart-entrypoint-gc-'));
    try {
      const services = ['masking', 'patterns', 'rewards', 'storage', 'coupon-join', 'stock-analytics'];
      for (const name of services) {
        fs.mkdirSync(path.join(dir, `app/apps/${name}/dist`), { recursive: true });
        fs.writeFileSync(path.join(dir, `app/apps/${name}/dist/main.js`), '');
      }
      const script = path.join(dir, 'entrypoint.sh');
      fs.writeFileSync(script, fs.readFileSync(entrypoint, 'utf8').replaceAll('/app/', `${dir}/app/`));
      fs.mkdirSync(path.join(dir, 'bin'));
      fs.writeFileSync(path.join(dir, 'bin/node'), '#!/bin/sh\nprintf "%s\\n" "$@"\n', { mode: 0o755 });
      const gcFlags = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
        const { stdout } = await run('/bin/sh', [script, ...args], {
          env: { PATH: `${dir}/bin:${process.env.PATH}`, ...env },
        });
        return stdout.split('\n').filter((a) => a.startsWith('--') && a.includes('gc'));
      };
      const gc = SINGLE_THREADED_GC_FLAG;
      const byService = async (env: NodeJS.ProcessEnv) =>
        Object.fromEntries(await Promise.all(services.map(async (s) => [s, await gcFlags([s], env)])));
      const expected = (parallel: (s: string) => boolean) =>
        Object.fromEntries(services.map((s) => [s, parallel(s) ? [] : [gc]]));
      expect([...PARALLEL_GC_SERVICES]).toEqual(['stock-analytics']);
      expect(await byService({})).toEqual(expected((s) => s === 'stock-analytics'));
      expect(await byService({ GMART_SINGLE_THREADED_GC: '' })).toEqual(
        expected((s) => s === 'stock-analytics'),
      );
      expect(await byService({ GMART_SINGLE_THREADED_GC: 'true' })).toEqual(expected(() => false));
      expect(await byService({ GMART_SINGLE_THREADED_GC: 'false' })).toEqual(expected(() => true));
      // The service baked in at build time (GMART_SERVICE) and the other node programs.
      expect(await gcFlags([], { GMART_SERVICE: 'stock-analytics' })).toEqual([]);
      expect(await gcFlags([], { GMART_SERVICE: 'masking' })).toEqual([gc]);
      for (const cmd of ['create-topics', 'generate', 'generate-stocks'])
        expect(await gcFlags([cmd])).toEqual([gc]);
      // The local stack's rule is the same: serviceNodeFlags with the service's name.
      for (const s of services)
        expect(serviceNodeFlags(undefined, undefined, undefined, s).filter((a) => a.includes('gc'))).toEqual(
          expected((x) => x === 'stock-analytics')[s],
        );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the flags reach V8: a Node started with them gets a larger, fixed young generation and scavenges on its main thread alone', async () => {
    const heapLimit = async (env: NodeJS.ProcessEnv) =>
      Number(
        (await sh([process.execPath, '-p', 'require("v8").getHeapStatistics().heap_size_limit'], env)).stdout,
      );
    const mib = 2 ** 20;
    // V8's heap limit counts the young generation as three semi-spaces.
    const defaultLimit = await heapLimit({ NODE_OPTIONS: '--max-semi-space-size=16' });
    expect(((await heapLimit({})) - defaultLimit) / mib).toBe(3 * (SERVICE_MAX_SEMI_SPACE_MIB - 16));
    // The floor: the young generation starts at a full semi-space (V8 starts it at 1 MiB and resizes it).
    const newSpaceAtStart = async (flags: string[]) =>
      Number(
        (
          await run(
            process.execPath,
            [
              ...flags,
              // Written, not printed with -p: -p colours the number when FORCE_COLOR is set (nx sets it).
              '-e',
              'process.stdout.write(String(require("v8").getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size))',
            ],
            { env: { ...process.env, NODE_OPTIONS: '' } },
          )
        ).stdout,
      ) / mib;
    expect(await newSpaceAtStart(serviceNodeFlags(undefined))).toBeGreaterThanOrEqual(
      SERVICE_MAX_SEMI_SPACE_MIB,
    );
    expect(await newSpaceAtStart(serviceNodeFlags(undefined, 'false'))).toBeLessThan(
      SERVICE_MAX_SEMI_SPACE_MIB,
    );
    // --single-threaded-gc: V8's worker threads do no scavenging (its GC trace's background share is 0);
    // without the flag they do (a scavenge of a full 32 MiB semi-space posts parallel tasks).
    const backgroundScavengeMs = async (flags: string[]) => {
      const { stderr, stdout } = await run(
        process.execPath,
        [
          ...flags,
          '--trace-gc-nvp',
          '-e',
          'let keep = []; for (let i = 0; i < 4e6; i++) { keep.push({ i, s: "x" + i }); if (keep.length > 3e5) keep = []; }',
        ],
        { env: { ...process.env, NODE_OPTIONS: '' }, maxBuffer: 64 * 2 ** 20 },
      );
      const times = [...`${stdout}${stderr}`.matchAll(/ background\.scavenge\.parallel=([\d.]+)/g)];
      expect(times.length).toBeGreaterThan(3);
      return times.reduce((sum, m) => sum + Number(m[1]), 0);
    };
    expect(await backgroundScavengeMs(serviceNodeFlags(undefined))).toBe(0);
    expect(await backgroundScavengeMs(serviceNodeFlags(undefined, undefined, 'false'))).toBeGreaterThan(0);
    expect(
      await backgroundScavengeMs(serviceNodeFlags(undefined, undefined, undefined, 'stock-analytics')),
    ).toBeGreaterThan(0);
  });
});

describe('container health check (deploy/docker/healthcheck.js)', () => {
  let server: http.Server;
  let port: number;
  let status = 200;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      res.statusCode = req.url === '/health/live' || req.url === '/custom' ? status : 404;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const check = async (env: NodeJS.ProcessEnv): Promise<number> => {
    try {
      await run(process.execPath, [path.join(DEPLOY_DIR, 'docker/healthcheck.js')], {
        env: { PATH: process.env.PATH, ...env },
        timeout: 20_000,
      });
      return 0;
    } catch (err) {
      return (err as { code: number }).code;
    }
  };

  it('passes when /health/live answers 2xx on HTTP_PORT', async () => {
    status = 200;
    expect(await check({ HTTP_PORT: String(port) })).toBe(0);
  });

  it('fails when the service answers 503, when the path is wrong, and when nothing listens', async () => {
    status = 503;
    expect(await check({ HTTP_PORT: String(port) })).toBe(1);
    status = 200;
    expect(await check({ HTTP_PORT: String(port), HEALTHCHECK_PATH: '/nope' })).toBe(1);
    expect(await check({ HTTP_PORT: String(port), HEALTHCHECK_PATH: '/custom' })).toBe(0);
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await check({ HTTP_PORT: String(closedPort) })).toBe(1);
  });
});
