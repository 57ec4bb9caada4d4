import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** The embedded broker in its own process (as a real broker would run), so heap figures are the app's only. */
export async function startChildBroker(): Promise<{ brokers: string[]; stop(): Promise<void> }> {
  const cli = path.join(__dirname, '../../../embedded-kafka/src/cli.ts');
  const child = spawn(process.execPath, ['--conditions=@gmart/source', '-r', '@swc-node/register', cli, '--port', '0', '--quiet', '--group-initial-rebalance-delay-ms', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (\S+?)[,\s]/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`broker exited with ${code}`)));
  });
  return {
    brokers: address.split(','),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
