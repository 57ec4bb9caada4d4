import { execFile, spawn } from 'node:child_process';

/** Runs kcat asynchronously (the broker runs in this process: never block the event loop). */
export function kcat(
  args: string[],
  input?: string,
  timeoutMs = 60000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const cp = spawn('kcat', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    cp.stdout.on('data', (d) => (stdout += d));
    cp.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => cp.kill('SIGKILL'), timeoutMs);
    cp.on('error', reject);
    cp.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    cp.stdin.end(input ?? '');
  });
}

/** Consumes a whole topic partition from the beginning to the end with kcat -C. */
export async function kcatConsume(
  bootstrap: string,
  topic: string,
  format = '%k=%s\\n',
  extra: string[] = [],
): Promise<string[]> {
  const r = await kcat([
    '-C',
    '-b',
    bootstrap,
    '-t',
    topic,
    '-o',
    'beginning',
    '-e',
    '-q',
    '-f',
    format,
    ...extra,
  ]);
  if (r.code !== 0) throw new Error(`kcat -C failed (${r.code}): ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.length > 0);
}

export { execFile };
