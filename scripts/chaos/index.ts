/**
 * `npm run chaos`: the fault suite. Starts an embedded broker and an embedded MongoDB as their own
 * processes, runs each scenario (scenarios/) against them with the G-Mart services as processes,
 * and prints one table: per scenario PASS/FAIL and its figures. Exits 1 when an invariant failed,
 * 2 on a bad command line.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChaosEnv } from './chaos-env';
import { parseChaosArgs, UsageError, type ChaosOptions } from './cli-options';
import type { ScenarioResult } from './scenario';
import { SCENARIOS } from './scenarios';
import { renderTable } from './table';

const USAGE = `Usage: npm run chaos -- [options]

Fault suite: kills, stops and starves the G-Mart services, the broker and MongoDB while records
flow, then prints one table of what survived (PASS/FAIL per scenario). Exits 1 if any invariant
failed.

Scenarios (default records in brackets):
${SCENARIOS.map((s) => `  ${s.name.padEnd(18)} ${s.summary}${s.defaultRecords ? ` [${s.defaultRecords.toLocaleString('en-US')}]` : ''}`).join('\n')}

Options:
  --scenarios <a,b,...>   run only these (in the suite's order; pan-scan scans what they leave)
  --records <n>           records per scenario instead of each one's default
  --outage-seconds <n>    how long MongoDB stays down in mongo-outage (default 30)
  --keep                  keep the run directory (logs, /metrics snapshots, data)
  -h, --help              show this help
`;

const say = (m: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} chaos: ${m}\n`);

async function main(): Promise<number> {
  let options: ChaosOptions;
  try {
    options = parseChaosArgs(
      process.argv.slice(2),
      SCENARIOS.map((s) => s.name),
    );
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`chaos: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const chosen = SCENARIOS.filter((s) => !options.scenarios || options.scenarios.includes(s.name));
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmart-chaos-'));
  const started = Date.now();
  const results: ScenarioResult[] = [];
  let env: ChaosEnv;
  try {
    env = await ChaosEnv.start(runDir, say);
  } catch (err) {
    if (!options.keep) fs.rmSync(runDir, { recursive: true, force: true });
    throw err;
  }
  try {
    for (const s of chosen) {
      const records = options.records ?? s.defaultRecords;
      say(`${s.name}: ${s.summary}${records ? ` (${records.toLocaleString('en-US')} records)` : ''}`);
      const t0 = Date.now();
      let result: ScenarioResult;
      try {
        const f = await s.run(env, records, options);
        const { failures, skipped, ...figures } = f;
        result = {
          name: s.name,
          ...figures,
          outcome: skipped ? 'SKIP' : failures.length === 0 ? 'PASS' : 'FAIL',
          seconds: (Date.now() - t0) / 1000,
          note: skipped ? skipped : failures.length ? `${failures.join('; ')} | ${f.note}` : f.note,
        };
      } catch (err) {
        result = {
          name: s.name,
          outcome: 'FAIL',
          seconds: (Date.now() - t0) / 1000,
          note: `did not complete: ${(err as Error).message}`,
        };
      }
      await env.stopServices();
      await env.restoreServers();
      results.push(result);
      say(`${s.name}: ${result.outcome} in ${result.seconds.toFixed(1)} s: ${result.note}`);
    }
  } finally {
    await env.stop();
    if (options.keep) say(`run directory kept: ${runDir}`);
    else fs.rmSync(runDir, { recursive: true, force: true });
  }
  const failed = results.filter((r) => r.outcome === 'FAIL').length;
  process.stdout.write(
    `${renderTable(results)}\n\n${failed === 0 ? 'all invariants held' : `${failed} scenario(s) FAILED`} ` +
      `(${((Date.now() - started) / 1000).toFixed(0)} s, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')})\n`,
  );
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`chaos: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
