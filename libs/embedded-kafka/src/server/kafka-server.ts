import * as net from 'node:net';
import * as tls from 'node:tls';
import type { BrokerServices } from '../broker/broker-services';
import { KafkaBrokerError } from '../errors/kafka-broker-error';
import type { ApiRegistry } from '../protocol/api-registry';
import { ConnectionAuth } from '../security/connection-auth';
import type { SaslAuthenticator } from '../security/sasl-authenticator';
import type { ListenerTlsOptions } from '../security/security-options';
import { Connection } from './connection';
import type { ServerMetrics } from './server-metrics';

/** Kafka's principal of a TLS client certificate: `User:` and the subject as a DN (`CN=client,O=...`). */
function tlsPrincipal(socket: tls.TLSSocket): string | undefined {
  if (!socket.authorized) return undefined;
  const subject = socket.getPeerCertificate()?.subject as Record<string, string | string[]> | undefined;
  if (!subject || Object.keys(subject).length === 0) return undefined;
  const dn = Object.entries(subject)
    .reverse()
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(',');
  return `User:${dn}`;
}

/**
 * The listener: plain TCP, or TLS (`node:tls`) when `tlsOptions` are given; SASL required on
 * every connection when `sasl` is given. Accepts connections and tracks them for shutdown. A
 * failed TLS handshake (plain-text client, untrusted certificate) is logged and that socket
 * closed; the broker serves on.
 */
export class KafkaServer {
  private readonly server: net.Server;
  private readonly connections = new Set<Connection>();
  private readonly sockets = new Set<net.Socket>();
  private nextId = 1;

  constructor(
    registry: ApiRegistry,
    private readonly services: BrokerServices,
    metrics: ServerMetrics,
    sasl?: SaslAuthenticator,
    tlsOptions?: ListenerTlsOptions,
  ) {
    const accept = (socket: net.Socket, principal?: string) => {
      const c = new Connection(
        this.nextId++,
        socket,
        registry,
        services,
        metrics,
        (conn) => this.connections.delete(conn),
        new ConnectionAuth(sasl, principal),
      );
      this.connections.add(c);
    };
    if (tlsOptions) {
      const clientAuth = tlsOptions.clientAuth ?? 'none';
      const server = tls.createServer(
        {
          cert: tlsOptions.cert,
          key: tlsOptions.key,
          ...(tlsOptions.ca !== undefined ? { ca: tlsOptions.ca } : {}),
          requestCert: clientAuth !== 'none',
          rejectUnauthorized: clientAuth === 'required',
          handshakeTimeout: 10_000,
        },
        (socket) => accept(socket, tlsPrincipal(socket)),
      );
      server.on('connection', (socket: net.Socket) => {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
      });
      server.on('tlsClientError', (err, socket) => {
        services.logger.warn(
          `TLS handshake with ${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'} failed: ${err.message.split('\n')[0]!.trim()}`,
        );
        socket.destroy();
      });
      this.server = server;
    } else {
      this.server = net.createServer((socket) => {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        accept(socket);
      });
    }
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
