/**
 * Every command a user runs (each `node ... <file>.ts` script of the root and the workspace
 * packages, and each package `bin`) parses its flags strictly: `--help` prints the usage and exits
 * 0, an unknown flag prints a message naming it and exits 2. The commands are found by reading the
 * package manifests, so a new script without flag handling fails here. Both answers come before
 * anything starts (no broker, no Kafka connection), so each spawn costs little more than Node.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './support/paths';

interface Command {
  /** How a user runs it, e.g. `npm run broker`. */
  readonly name: string;
  /** Directory npm runs it in (the package's). */
  readonly cwd: string;
  /** Entry file, relative to `cwd`. */
  readonly file: string;
}

/**
 * Services are configured by environment variables (checked at start, naming a bad variable), not
 * flags; their `start` scripts run `src/main.ts`.
 */
const NOT_FLAG_COMMANDS = /^apps\/[^/]+\/src\/main\.ts$/;

interface Manifest {
  name: string;
  workspaces?: string[];
  scripts?: Record<string, string>;
  bin?: Record<string, string>;
}

const readManifest = (dir: string): Manifest =>
  JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;

/** Every workspace package directory (libs/*, apps/*, deploy) and the root. */
function packageDirs(): string[] {
  const dirs = [REPO_ROOT];
  for (const pattern of readManifest(REPO_ROOT).workspaces ?? []) {
    if (pattern.endsWith('/*')) {
      const parent = path.join(REPO_ROOT, pattern.slice(0, -2));
      for (const name of fs.readdirSync(parent).sort()) {
        if (fs.existsSync(path.join(parent, name, 'package.json'))) dirs.push(path.join(parent, name));
      }
    } else dirs.push(path.join(REPO_ROOT, pattern));
  }
  return dirs;
}

/** The commands of every manifest: `node ... file.ts` scripts and `bin` entries (dist/x.js -> src/x.ts). */
function discoverCommands(): Command[] {
  const byFile = new Map<string, Command>();
  for (const dir of packageDirs()) {
    const manifest = readManifest(dir);
    const where = dir === REPO_ROOT ? '' : ` -w ${manifest.name}`;
    const add = (name: string, file: string) => {
      const absolute = path.join(dir, file);
      const key = path.relative(REPO_ROOT, absolute);
      if (NOT_FLAG_COMMANDS.test(key) || byFile.has(key)) return;
      expect({ name, exists: fs.existsSync(absolute) }).toEqual({ name, exists: true });
      byFile.set(key, { name, cwd: dir, file });
    };
    for (const [script, command] of Object.entries(manifest.scripts ?? {})) {
      const m = /^node\s.*?(\S+\.ts)$/.exec(command);
      if (m) add(`npm run ${script}${where}`, m[1]!);
    }
    for (const [bin, target] of Object.entries(manifest.bin ?? {}))
      add(`${bin} (bin of ${manifest.name})`, target.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts'));
  }
  return [...byFile.values()];
}

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(c: Command, args: string[]): Promise<Outcome> {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('KAFKA_') || k.startsWith('MONGODB_')) delete env[k];
  const child = spawn(
    process.execPath,
    ['--conditions=@gmart/source', '-r', '@swc-node/register', c.file, ...args],
    { cwd: c.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  // A command that started something instead of answering would not exit: end it (generous, for
  // loaded machines: an answer costs about half a CPU second).
  const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

const commands = discoverCommands();

describe('every command answers --help and a bad flag before starting anything', () => {
  it('finds the commands users run (root scripts, package scripts, bins)', () => {
    const names = commands.map((c) => c.name);
    for (const expected of [
      'npm run start',
      'npm run broker',
      'npm run mongo',
      'npm run generate',
      'npm run generate:stocks',
      'npm run consumer-groups',
      'npm run bench:pipeline',
      'npm run test:interop',
      'npm run create-topics -w @gmart/deploy',
      'npm run bench -w @gmart/streams',
    ])
      expect(names).toContain(expected);
  });

  // Concurrent (jest's maxConcurrency, 5): each spawn is Node starting and transpiling, CPU-bound.
  it.concurrent.each(commands.map((c) => [c.name, c] as const))(
    '%s: --help prints the usage and exits 0; --no-such-flag is named on stderr, exit 2',
    async (_name, c) => {
      const [help, bad] = await Promise.all([run(c, ['--help']), run(c, ['--no-such-flag', 'x'])]);
      expect({ code: help.code, usage: /^Usage: /m.test(help.stdout), stderr: help.stderr }).toEqual({
        code: 0,
        usage: true,
        stderr: '',
      });
      expect({
        code: bad.code,
        namesTheFlag: bad.stderr.includes("'--no-such-flag'"),
        stdout: bad.stdout,
      }).toEqual({ code: 2, namesTheFlag: true, stdout: '' });
    },
    600_000,
  );
});
