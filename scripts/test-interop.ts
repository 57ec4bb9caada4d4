/**
 * `npm run test:interop`: the tests that need third-party programs (`*.interop.test.ts`): kcat and
 * python3-confluent-kafka (librdkafka clients against the embedded broker), promtool and a
 * Prometheus server (the deployment's rules and dashboards). It checks every program first and
 * fails, naming each missing one with how to install it, instead of skipping; then runs jest on
 * the interop files of every package that has some, in one jest run. `npm test` never runs them.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = path.join(__dirname, '..');

interface Program {
  readonly name: string;
  readonly probe: readonly string[];
  readonly install: string;
}

const PROGRAMS: readonly Program[] = [
  { name: 'kcat', probe: ['kcat', '-V'], install: 'apt-get install kcat' },
  {
    name: 'python3-confluent-kafka',
    probe: ['/usr/bin/python3', '-c', 'import confluent_kafka'],
    install: 'apt-get install python3-confluent-kafka',
  },
  {
    name: 'promtool',
    probe: [process.env.PROMTOOL ?? '/usr/bin/promtool', '--version'],
    install: 'apt-get install prometheus (or set PROMTOOL)',
  },
  {
    name: 'prometheus',
    probe: [process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus', '--version'],
    install: 'apt-get install prometheus (or set PROMETHEUS_BIN)',
  },
];

/** Package directories (libs/*, apps/*, deploy) holding at least one `*.interop.test.ts`. */
function packagesWithInteropTests(): string[] {
  const dirs = ['libs', 'apps'].flatMap((d) =>
    fs.readdirSync(path.join(ROOT, d)).map((name) => path.join(ROOT, d, name)),
  );
  dirs.push(path.join(ROOT, 'deploy'));
  const has = (dir: string): boolean =>
    fs.existsSync(dir) &&
    fs
      .readdirSync(dir, { withFileTypes: true })
      .some((e) =>
        e.isDirectory()
          ? e.name !== 'node_modules' && has(path.join(dir, e.name))
          : e.name.endsWith('.interop.test.ts'),
      );
  return dirs.filter((d) => fs.existsSync(path.join(d, 'package.json')) && has(path.join(d, 'test')));
}

const USAGE = `Usage: npm run test:interop [-- --help]

Runs every *.interop.test.ts (the tests that need kcat, python3-confluent-kafka, promtool and a
Prometheus server) after checking that each program is installed; fails naming a missing one.

  -h, --help   show this help
`;

function main(): number {
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      allowPositionals: false,
      options: { help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
  } catch (err) {
    process.stderr.write(`test:interop: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const missing = PROGRAMS.filter((p) => {
    const r = spawnSync(p.probe[0]!, p.probe.slice(1), { stdio: 'ignore' });
    return r.error !== undefined || r.status !== 0;
  });
  if (missing.length > 0) {
    process.stderr.write(
      `test:interop needs programs that are missing:\n${missing
        .map((p) => `  ${p.name}: ${p.install}`)
        .join('\n')}\n(.ci/run installs them on Debian/Ubuntu; npm test needs none of them)\n`,
    );
    return 1;
  }
  // One jest run over every package's interop files (each package's own jest config), so the
  // files share two workers (they mostly wait on the programs and the broker) instead of waiting
  // for the package before them. JEST_MAX_WORKERS overrides.
  const dirs = packagesWithInteropTests();
  process.stdout.write(`\n> interop tests of ${dirs.map((d) => path.relative(ROOT, d)).join(', ')}\n`);
  const workers = Number(process.env.JEST_MAX_WORKERS) || Math.max(2, os.availableParallelism() - 1);
  const r = spawnSync(
    'npx',
    [
      'jest',
      '--projects',
      ...dirs,
      '--testPathPatterns',
      '\\.interop\\.test\\.ts$',
      `--maxWorkers=${workers}`,
    ],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, GMART_INTEROP: '1' } },
  );
  return r.status === 0 ? 0 : 1;
}

process.exit(main());
