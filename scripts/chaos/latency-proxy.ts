import * as net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 (any free port) to `127.0.0.1:targetPort` that holds every chunk the
 * target sends back for `delayMs` (in order): a slow server or network, for real clients.
 */
export class LatencyProxy {
  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    private readonly sockets: Set<net.Socket>,
  ) {}

  static start(targetPort: number, delayMs: number): Promise<LatencyProxy> {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((client) => {
      const upstream = net.connect({ port: targetPort, host: '127.0.0.1' });
      sockets.add(client);
      sockets.add(upstream);
      let releaseAt = 0;
      client.pipe(upstream);
      upstream.on('data', (chunk: Buffer) => {
        releaseAt = Math.max(Date.now() + delayMs, releaseAt);
        setTimeout(() => client.writable && client.write(chunk), releaseAt - Date.now());
      });
      const close = () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', () => setTimeout(close, delayMs));
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () =>
        resolve(new LatencyProxy(server, (server.address() as net.AddressInfo).port, sockets)),
      );
    });
  }

  /** Closes the listener and every proxied connection. */
  stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
