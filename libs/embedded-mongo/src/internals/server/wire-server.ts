import * as net from 'node:net';
import { EmbeddedMongoError, InvalidConfigError } from '../../errors/embedded-mongo-error';
import { Connection, ConnectionDeps } from './connection';

/** The TCP listener: one {@link Connection} per socket. */
export class WireServer {
  private readonly server: net.Server;
  private readonly connections = new Set<Connection>();
  private nextConnectionId = 1;

  constructor(private readonly deps: Omit<ConnectionDeps, 'server'> & { server: ConnectionDeps['server'] }) {
    this.server = net.createServer((socket) => {
      const connection = new Connection(this.nextConnectionId++, socket, this.deps);
      this.connections.add(connection);
      this.deps.server.stats.totalConnections++;
      socket.on('close', () => this.connections.delete(connection));
    });
  }

  /** Listens; resolves with the bound port. Rejects with a clear message when the port is taken. */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException): void => {
        if (e.code === 'EADDRINUSE')
          reject(new InvalidConfigError(`port ${port} on ${host} is already in use`, { cause: e }));
        else if (e.code === 'EACCES')
          reject(new InvalidConfigError(`no permission to listen on ${host}:${port}`, { cause: e }));
        else reject(new EmbeddedMongoError(`cannot listen on ${host}:${port}: ${e.message}`, { cause: e }));
      };
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        this.server.on('error', (e) => this.deps.logger.error(`server error: ${e.message}`));
        resolve((this.server.address() as net.AddressInfo).port);
      });
    });
  }

  /** Number of open client connections. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Stops accepting, closes every connection and waits for the listener to close. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      for (const connection of this.connections) connection.close();
      this.connections.clear();
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
    });
  }
}
