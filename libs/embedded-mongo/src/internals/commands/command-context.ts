import { MongoLogger } from '../../logger';
import type { ConnectionAuth } from '../auth/connection-auth';
import { Doc } from '../storage/document-paths';
import { StorageEngine } from '../storage/storage-engine';
import { CommandStats } from './command-stats';
import { CursorRegistry } from './cursor-registry';

/** Facts about the running server the handshake and status commands report. */
export interface ServerFacts {
  readonly host: string;
  readonly port: number;
  readonly startedAt: Date;
  readonly dataDir: string;
  readonly stats: CommandStats;
  /** Open client connections right now. */
  connections(): number;
}

/** What a command handler can reach. */
export interface CommandContext {
  /** Database the command runs against (`$db`). */
  readonly db: string;
  readonly storage: StorageEngine;
  readonly cursors: CursorRegistry;
  readonly connectionId: number;
  readonly server: ServerFacts;
  readonly logger: MongoLogger;
  /** The connection's authentication state (users, conversations, who is authenticated). */
  readonly auth: ConnectionAuth;
}

/** A command implementation: takes the command document, returns the reply (without `ok`, added by the dispatcher when missing). */
export type CommandHandler = (command: Doc, ctx: CommandContext) => Doc;
