/**
 * `npm run chaos` (scripts/chaos) through its command line, scaled down so CI guards it: the
 * poison-pill scenario with 2,000 records (20 pills) and the PAN scan after it, each asserting
 * its invariant against a real embedded broker and the masking service as a process; the table
 * shows both PASS with their figures. Also the flags: an unknown scenario or a bad count is a usage
 * error naming it (exit 2: the CLI turns UsageError into it).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parseChaosArgs, UsageError } from '../../scripts/chaos/cli-options';

jest.setTimeout(180_000);

const ROOT = path.join(__dirname, '../..');

function chaos(...args: string[]) {
  const r = spawnSync(
    process.execPath,
    ['--conditions=@gmart/source', '-r', '@swc-node/register', 'scripts/chaos/index.ts', ...args],
    { cwd: ROOT, encoding: 'utf8', timeout: 170_000 },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The cells of the table row of `scenario`. */
function row(stdout: string, scenario: string): string[] | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith(`${scenario} `));
  return line?.split('|').map((c) => c.trim());
}

describe('npm run chaos', () => {
  // --help (exit 0) and an unknown flag (exit 2) through the process: cli-flags.test.ts, as every command.
  it('an unknown scenario, an empty list or a bad count is a usage error naming it', () => {
    const known = ['service-kill-loop', 'poison-pills', 'pan-scan'];
    expect(() => parseChaosArgs(['--scenarios', 'poison-pills,meteor-strike'], known)).toThrow(
      /unknown "meteor-strike"; known: service-kill-loop, poison-pills, pan-scan/,
    );
    expect(() => parseChaosArgs(['--scenarios', ','], known)).toThrow(UsageError);
    expect(() => parseChaosArgs(['--records', '0'], known)).toThrow('--records must be a positive integer');
    expect(() => parseChaosArgs(['--outage-seconds', 'ten'], known)).toThrow(UsageError);
    expect(parseChaosArgs(['--scenarios', 'pan-scan,poison-pills', '--records', '10'], known)).toMatchObject({
      scenarios: ['pan-scan', 'poison-pills'],
      records: 10,
    });
  });

  it('poison pills and the PAN scan at 2,000 records: both PASS with their figures, exit 0', () => {
    const r = chaos('--scenarios', 'poison-pills,pan-scan', '--records', '2000');
    expect(r.stderr).not.toMatch(/did not complete/);
    // On a failure, the table and the end of the progress log say why.
    expect({ code: r.code, output: r.code === 0 ? '' : `${r.stdout}\n${r.stderr.slice(-3000)}` }).toEqual({
      code: 0,
      output: '',
    });
    // scenario | result | in | out | lost | dup | dlq | peak RSS | time | notes
    const pills = row(r.stdout, 'poison-pills')!;
    expect(pills.slice(0, 7)).toEqual(['poison-pills', 'PASS', '2,000', '1,980', '0', '0', '20']);
    expect(Number(pills[7]!.replace(/,/g, ''))).toBeGreaterThan(0);
    const scan = row(r.stdout, 'pan-scan')!;
    expect(scan[1]).toBe('PASS');
    // The masked purchases and the dead-lettered pills were scanned; the raw input shows its cards.
    expect(scan[2]).toBe('2,000');
    expect(scan[9]).toMatch(/ 0 PANs; raw inputs: 2,000 with PANs/);
    expect(r.stdout).toMatch(/all invariants held/);
  });
});
