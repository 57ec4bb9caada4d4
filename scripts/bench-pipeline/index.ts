/**
 * `npm run bench:pipeline`: checks the flags (./flags.ts), then runs the benchmark
 * (./pipeline-bench.ts). `--help` prints the usage and exits 0; a bad flag prints the problem and
 * the usage and exits 2; a failed run exits 1.
 */
import { BenchUsageError, USAGE, parseBenchFlags, type BenchFlags } from './flags';

let flags: BenchFlags;
try {
  flags = parseBenchFlags(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof BenchUsageError)) throw err;
  process.stderr.write(`bench:pipeline: ${err.message}\n\n${USAGE}`);
  process.exit(2);
}
if (flags.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
// Loaded once the flags are checked: `--help` and a bad flag answer without loading the stack.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runPipelineBench } = require('./pipeline-bench') as typeof import('./pipeline-bench');
runPipelineBench(flags).catch((err: unknown) => {
  if (err instanceof BenchUsageError) {
    process.stderr.write(`bench:pipeline: ${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(`bench:pipeline failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
