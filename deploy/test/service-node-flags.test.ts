import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ServiceProcess } from '@gmart/test-support/local-stack';
import { SERVICE_MALLOC_ENV, SERVICE_MAX_SEMI_SPACE_MIB, SINGLE_THREADED_GC_FLAG } from '../src';

jest.setTimeout(120_000);

/**
 * `npm start` and `npm run bench:pipeline` start the services through the local stack's ServiceProcess:
 * they must run with the Node flags the services are deployed with (deploy/README.md, Node.js runtime).
 * A stand-in service prints what its Node process was started with.
 */
describe('local stack service processes (npm start, bench:pipeline)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmart-node-flags-'));
    fs.writeFileSync(
      path.join(dir, 'main.js'),
      'const v8 = require("node:v8");\n' +
        'const newSpace = v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size;\n' +
        'const malloc = { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX };\n' +
        'console.log(JSON.stringify({ execArgv: process.execArgv, heapSizeLimit: v8.getHeapStatistics().heap_size_limit, newSpace, malloc }));\n',
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const started = async (
    name: string,
    env: Record<string, string>,
    nodeArgs?: string[],
  ): Promise<{
    execArgv: string[];
    heapSizeLimit: number;
    newSpace: number;
    malloc: Record<string, string>;
  }> => {
    const logFile = path.join(dir, `${name}.log`);
    const p = ServiceProcess.start({
      definition: { name, main: path.join(dir, 'main.js'), httpPort: 0, needsMongo: false },
      env,
      logFile,
      nodeArgs,
    });
    expect((await p.whenExited()).code).toBe(0);
    await p.stop();
    return JSON.parse(fs.readFileSync(logFile, 'utf8').trim().split('\n').pop()!);
  };

  it(`start with --max-semi-space-size=${SERVICE_MAX_SEMI_SPACE_MIB} and the same floor; NODE_OPTIONS or --node-args override it`, async () => {
    const flag = `--max-semi-space-size=${SERVICE_MAX_SEMI_SPACE_MIB}`;
    const floor = `--min-semi-space-size=${SERVICE_MAX_SEMI_SPACE_MIB}`;
    const semi = (p: { execArgv: string[] }) => p.execArgv.filter((a) => a.includes('semi'));
    const deployed = await started('deployed', { NODE_OPTIONS: '' });
    expect(semi(deployed)).toEqual([flag, floor]);
    // NODE_OPTIONS' cap applies, and becomes the floor (Node does not allow the floor in NODE_OPTIONS).
    const viaNodeOptions = await started('node-options', { NODE_OPTIONS: '--max-semi-space-size=16' });
    expect(semi(viaNodeOptions)).toEqual(['--min-semi-space-size=16']);
    // The bench's --node-args come after the default: the last flag applies (V8 holds the floor to the cap).
    const viaArgs = await started('node-args', { NODE_OPTIONS: '' }, ['--max-semi-space-size=16']);
    expect(semi(viaArgs)).toEqual([flag, floor, '--max-semi-space-size=16']);
    // V8's heap limit counts the young generation as three semi-spaces; the floor does not change it.
    const mib = 2 ** 20;
    expect((deployed.heapSizeLimit - viaNodeOptions.heapSizeLimit) / mib).toBe(
      3 * (SERVICE_MAX_SEMI_SPACE_MIB - 16),
    );
    expect(viaArgs.heapSizeLimit).toBe(viaNodeOptions.heapSizeLimit);
    // The floor reaches V8: the young generation starts at a full semi-space, not at V8's 1 MiB.
    expect(deployed.newSpace / mib).toBeGreaterThanOrEqual(SERVICE_MAX_SEMI_SPACE_MIB);
    expect(viaArgs.newSpace / mib).toBeGreaterThanOrEqual(16);
    const resized = await started('resized', { NODE_OPTIONS: '', GMART_FIXED_SEMI_SPACE: 'false' });
    expect(semi(resized)).toEqual([flag]);
    expect(resized.newSpace / mib).toBeLessThan(16);
    expect(resized.heapSizeLimit).toBe(deployed.heapSizeLimit);
  });

  it('start with --single-threaded-gc unless GMART_SINGLE_THREADED_GC=false', async () => {
    const gc = (p: { execArgv: string[] }) => p.execArgv.filter((a) => a.includes('gc'));
    expect(gc(await started('gc', { NODE_OPTIONS: '' }))).toEqual([SINGLE_THREADED_GC_FLAG]);
    expect(gc(await started('gc-on', { NODE_OPTIONS: '', GMART_SINGLE_THREADED_GC: 'true' }))).toEqual([
      SINGLE_THREADED_GC_FLAG,
    ]);
    expect(gc(await started('gc-off', { NODE_OPTIONS: '', GMART_SINGLE_THREADED_GC: 'false' }))).toEqual([]);
  });

  it("start stock-analytics with V8's parallel GC unless GMART_SINGLE_THREADED_GC=true, the others with --single-threaded-gc", async () => {
    const gc = (p: { execArgv: string[] }) => p.execArgv.filter((a) => a.includes('gc'));
    expect(gc(await started('stock-analytics', { NODE_OPTIONS: '' }))).toEqual([]);
    expect(gc(await started('stock-analytics', { NODE_OPTIONS: '', GMART_SINGLE_THREADED_GC: '' }))).toEqual(
      [],
    );
    expect(
      gc(await started('stock-analytics', { NODE_OPTIONS: '', GMART_SINGLE_THREADED_GC: 'true' })),
    ).toEqual([SINGLE_THREADED_GC_FLAG]);
    expect(
      gc(await started('stock-analytics', { NODE_OPTIONS: '', GMART_SINGLE_THREADED_GC: 'false' })),
    ).toEqual([]);
    for (const name of ['masking', 'patterns', 'rewards', 'storage', 'coupon-join'])
      expect({ name, gc: gc(await started(name, { NODE_OPTIONS: '' })) }).toEqual({
        name,
        gc: [SINGLE_THREADED_GC_FLAG],
      });
  });

  it("start with the image's glibc malloc settings unless the environment sets them", async () => {
    expect((await started('malloc', {})).malloc).toEqual(SERVICE_MALLOC_ENV);
    expect((await started('own-malloc', { MALLOC_ARENA_MAX: '4' })).malloc).toEqual({
      ...SERVICE_MALLOC_ENV,
      MALLOC_ARENA_MAX: '4',
    });
  });
});
