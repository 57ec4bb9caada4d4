import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/**
 * `npm run test:interop` fails loudly, naming each missing program with how to install it, rather
 * than letting its tests skip (here: no kcat on PATH, promtool and prometheus pointed at nothing).
 */
describe('npm run test:interop without its programs', () => {
  it('exits 1 naming every missing program and its install hint, running no test', () => {
    const r = spawnSync(
      process.execPath,
      ['--conditions=@gmart/source', '-r', '@swc-node/register', 'scripts/test-interop.ts'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: {
          ...process.env,
          PATH: path.dirname(process.execPath),
          PROMTOOL: '/nonexistent/promtool',
          PROMETHEUS_BIN: '/nonexistent/prometheus',
        },
        timeout: 60_000,
      },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('kcat: apt-get install kcat');
    expect(r.stderr).toContain('promtool: apt-get install prometheus');
    expect(r.stderr).toContain('prometheus: apt-get install prometheus');
    expect(r.stdout).not.toContain('interop tests');
  });
});
