import type { MongoUsers } from './mongo-users';
import type { ScramSha256Conversation } from './scram-sha256';

/** Commands a connection may run before it authenticated, as on MongoDB with `--auth`. */
export const WITHOUT_AUTHENTICATION: ReadonlySet<string> = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'ping',
  'buildInfo',
  'buildinfo',
  'saslStart',
  'saslContinue',
  'logout',
  'connectionStatus',
]);

/** Authentication state of one connection. */
export class ConnectionAuth {
  /** Users authenticated on this connection (`{ user, db }`). */
  readonly authenticated: { readonly user: string; readonly db: string }[] = [];
  /** SCRAM conversations in progress, by conversation id. */
  readonly conversations = new Map<
    number,
    { db: string; conversation: ScramSha256Conversation; skipEmptyExchange: boolean; finished: boolean }
  >();
  private nextConversationId = 1;

  constructor(
    /** The server's users; undefined when authentication is off. */
    readonly users: MongoUsers | undefined,
  ) {}

  /** Whether commands need an authenticated user. */
  get required(): boolean {
    return this.users !== undefined;
  }

  /** A new conversation id. */
  newConversationId(): number {
    return this.nextConversationId++;
  }
}
