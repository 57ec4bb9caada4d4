import * as path from 'node:path';
import { ChildApp, type ChildAppOptions } from '@gmart/test-support';

/**
 * Starts `test/helpers/<name>.ts` (a streams application the crash and exactly-once tests run as
 * their own processes) with `args`, from this package's directory.
 */
export function startChildHelper(
  name: string,
  args: readonly string[],
  options: Omit<ChildAppOptions, 'cwd'> = {},
): ChildApp {
  return ChildApp.start(path.join(__dirname, `${name}.ts`), args, {
    ...options,
    cwd: path.join(__dirname, '../..'),
  });
}
