import * as net from 'node:net';
import type { BrokerServices } from '../broker/broker-services';
import { KafkaBrokerError } from '../errors/kafka-broker-error';
import type { ApiRegistry } from '../protocol/api-registry';
import { Connection } from './connection';
import type { ServerMetrics } from './server-metrics';

/** The TCP listener: accepts connections and tracks them for shutdown. */
export class KafkaServer {
  private readonly server: net.Server;
  private readonly connections = new Set<Connection>();
  private readonly sockets = new Set<net.Socket>();
  private nextId = 1;

  constructor(
    registry: ApiRegistry,
    private readonly services: BrokerServices,
    metrics: ServerMetrics,
  ) {
    this.server = net.createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      const c = new Connection(this.nextId++, socket, registry, services, metrics, (conn) =>
        this.connections.delete(conn),
      );
      this.connections.add(c);
    });
  }

  /** Listens; resolves with the bound port. Rejects with a clear error when the port is in use. */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        const msg =
          err.code === 'EADDRINUSE'
            ? `port ${port} on ${host} is already in use`
            : `cannot listen on ${host}:${port}: ${err.message}`;
        reject(new KafkaBrokerError(msg, { cause: err }));
      };
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        this.server.on('error', (err) => this.services.logger.error(`listener error: ${err.message}`));
        resolve((this.server.address() as net.AddressInfo).port);
      });
    });
  }

  /** Stops accepting and closes every connection. */
  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
