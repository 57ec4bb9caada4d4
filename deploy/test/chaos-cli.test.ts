/**
 * `npm run chaos` (scripts/chaos) through its command line, scaled down so CI guards it: the
 * poison-pill scenario with 2,000 records (20 pills) and the PAN scan after it, each asserting
 * its invariant against a real embedded broker and the masking service as a process; the table
 * shows both PASS with their figures. Also the usage: `--help` exits 0, a bad flag or an unknown
 * scenario exits 2 naming it.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

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
  it('--help prints the scenarios and exits 0', () => {
    const r = chaos('--help');
    expect(r.code).toBe(0);
    for (const s of [
      'service-kill-loop',
      'broker-kill',
      'sigstop-zombie',
      'mongo-outage',
      'slow-sink',
      'poison-pills',
      'full-disk',
      'pan-scan',
    ])
      expect(r.stdout).toContain(s);
  });

  it('a bad flag, an unknown scenario or a bad count exits 2 naming it', () => {
    const flag = chaos('--frobnicate');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("Unknown option '--frobnicate'");
    const unknown = chaos('--scenarios', 'poison-pills,meteor-strike');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('"meteor-strike"');
    const count = chaos('--records', '0');
    expect(count.code).toBe(2);
    expect(count.stderr).toContain('--records must be a positive integer');
  });

  it('poison pills and the PAN scan at 2,000 records: both PASS with their figures, exit 0', () => {
    const r = chaos('--scenarios', 'poison-pills,pan-scan', '--records', '2000');
    expect(r.stderr).not.toMatch(/did not complete/);
    expect(r.code).toBe(0);
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
