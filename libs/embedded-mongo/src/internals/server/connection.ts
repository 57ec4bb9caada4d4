import * as net from 'node:net';
import { MalformedMessageError } from '../../errors/embedded-mongo-error';
import { MongoLogger } from '../../logger';
import { ConnectionAuth } from '../auth/connection-auth';
import type { MongoUsers } from '../auth/mongo-users';
import { CommandContext, ServerFacts } from '../commands/command-context';
import { dispatchCommand } from '../commands/command-dispatcher';
import { CursorRegistry } from '../commands/cursor-registry';
import { ServerConstants } from '../commands/server-constants';
import { StorageEngine } from '../storage/storage-engine';
import { MessageFramer } from '../wire/message-framer';
import { OpCode } from '../wire/op-codes';
import {
  CommandRequest,
  decodeOpMsg,
  decodeOpQuery,
  encodeOpMsg,
  encodeOpReply,
  readHeader,
} from '../wire/wire-messages';

/** Commands MongoDB still accepts over OP_QUERY (the handshake); everything else needs OP_MSG. */
const LEGACY_COMMANDS = new Set(['isMaster', 'ismaster', 'hello']);

function unsupportedOpQuery(request: CommandRequest): Record<string, unknown> {
  const name = Object.keys(request.command)[0] ?? '';
  return {
    ok: 0,
    errmsg: `Unsupported OP_QUERY command: ${name}. The client driver may require an upgrade.`,
    code: 352,
    codeName: 'UnsupportedOpQueryCommand',
  };
}

/** Shared by every connection of a server. */
export interface ConnectionDeps {
  readonly storage: StorageEngine;
  readonly cursors: CursorRegistry;
  readonly server: ServerFacts;
  readonly logger: MongoLogger;
  /** Users when authentication is on. */
  readonly users: MongoUsers | undefined;
}

/**
 * One client connection: frames the byte stream, decodes OP_MSG / OP_QUERY, runs each command
 * in arrival order and writes the reply with the request id echoed in `responseTo`.
 * A malformed message closes the connection with a logged reason.
 */
export class Connection {
  private readonly framer = new MessageFramer(ServerConstants.maxMessageSizeBytes);
  private closed = false;
  private readonly auth: ConnectionAuth;

  constructor(
    readonly id: number,
    private readonly socket: net.Socket,
    private readonly deps: ConnectionDeps,
  ) {
    this.auth = new ConnectionAuth(deps.users);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => deps.logger.debug(`connection ${id}: socket error: ${e.message}`));
    socket.on('close', () => {
      this.closed = true;
    });
  }

  private get remote(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    try {
      for (const frame of this.framer.push(chunk)) {
        this.handle(frame);
        if (this.closed) return;
      }
    } catch (e) {
      const reason =
        e instanceof MalformedMessageError
          ? e.message
          : `unexpected error: ${(e as Error)?.stack ?? String(e)}`;
      this.deps.logger.warn(`connection ${this.id} from ${this.remote}: closing: ${reason}`);
      this.deps.server.stats.rejectedConnections++;
      this.close();
    }
  }

  private handle(frame: Buffer): void {
    const header = readHeader(frame);
    let request: CommandRequest;
    switch (header.opCode) {
      case OpCode.OP_MSG:
        request = decodeOpMsg(frame);
        break;
      case OpCode.OP_QUERY:
        request = decodeOpQuery(frame);
        break;
      case OpCode.OP_COMPRESSED:
        throw new MalformedMessageError(
          'OP_COMPRESSED is not supported (the server advertises no compressors)',
        );
      default:
        throw new MalformedMessageError(`unsupported opCode ${header.opCode}`);
    }
    const ctx: CommandContext = {
      db: request.db,
      storage: this.deps.storage,
      cursors: this.deps.cursors,
      connectionId: this.id,
      server: this.deps.server,
      logger: this.deps.logger,
      auth: this.auth,
    };
    const reply =
      request.legacy && !LEGACY_COMMANDS.has(Object.keys(request.command)[0] ?? '')
        ? unsupportedOpQuery(request)
        : dispatchCommand(request.command, ctx);
    if (request.moreToCome) return;
    const out = request.legacy
      ? encodeOpReply(header.requestId, reply)
      : encodeOpMsg(header.requestId, reply);
    this.socket.write(out);
  }

  /** Closes the socket. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
  }
}
