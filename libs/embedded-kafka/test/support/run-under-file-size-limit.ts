import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../../../..');

/**
 * Runs the TypeScript `script` (a file in this folder) with `args` in a child process whose files
 * may not grow past `limit` bytes (`prlimit --fsize`: a write past it fails part-way with EFBIG, as
 * a full disk fails it with ENOSPC), and returns the JSON objects it printed, one per line.
 */
export function runUnderFileSizeLimit(
  limit: number,
  script: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Array<Record<string, unknown>> {
  const out = execFileSync(
    'prlimit',
    [
      `--fsize=${limit}`,
      process.execPath,
      '--conditions=@gmart/source',
      '-r',
      '@swc-node/register',
      path.join(__dirname, script),
      ...args,
    ],
    { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } },
  );
  return out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
