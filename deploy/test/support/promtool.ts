import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PROMTOOL } from './paths';

const run = promisify(execFile);

/** Result of one promtool invocation (never throws on a non-zero exit). */
export async function promtool(args: string[], cwd?: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(PROMTOOL, args, { cwd, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === 'number' ? e.code : 1,
      output: `${e.stdout ?? ''}${e.stderr ?? String(err)}`,
    };
  }
}
