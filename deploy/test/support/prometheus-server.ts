import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

/** A free TCP port on 127.0.0.1 (Prometheus needs a fixed listen address, so ask the kernel for one first). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A real Prometheus server started from Debian's package on a temp data dir. */
export class PrometheusServer {
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly log: () => string,
  ) {}

  /** Starts Prometheus with `config` on `dataDir` and waits until /-/ready answers 200. */
  static async start(
    dir: string,
    dataDir: string,
    config = 'global:\n  scrape_interval: 15s\n',
  ): Promise<PrometheusServer> {
    const configFile = path.join(dir, 'prometheus.yml');
    fs.writeFileSync(configFile, config);
    for (let attempt = 0; ; attempt++) {
      const port = await freePort();
      let output = '';
      const child = spawn(
        PROMETHEUS_BIN,
        [
          `--config.file=${configFile}`,
          `--storage.tsdb.path=${dataDir}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--log.level=warn',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child.stdout!.on('data', (d) => (output += d));
      child.stderr!.on('data', (d) => (output += d));
      const server = new PrometheusServer(`http://127.0.0.1:${port}`, child, () => output);
      const ready = await server.waitReady(60_000);
      if (ready) return server;
      await server.stop();
      // the port may have been taken between freePort() and the bind: try another one
      if (attempt >= 2 || !/address already in use/.test(output))
        throw new Error(`prometheus did not start: ${output.slice(-2000)}`);
    }
  }

  private async waitReady(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) return false;
      try {
        const res = await fetch(`${this.url}/-/ready`);
        if (res.status === 200) return true;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return false;
  }

  /** GET an API path with query parameters; returns the parsed JSON body whatever the status. */
  async api(pathname: string, params: Record<string, string | string[]>): Promise<any> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) qs.append(k, x);
    const res = await fetch(`${this.url}${pathname}?${qs.toString()}`);
    return res.json();
  }

  output(): string {
    return this.log();
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
