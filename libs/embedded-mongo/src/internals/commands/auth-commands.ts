import { Binary } from 'bson';
import { commandError } from '../../errors/error-codes';
import { ScramSha256Conversation } from '../auth/scram-sha256';
import { Doc } from '../storage/document-paths';
import { CommandContext, CommandHandler } from './command-context';

/** The mechanism this server serves. */
export const SCRAM_SHA_256 = 'SCRAM-SHA-256';

function payloadOf(command: Doc): Buffer {
  const p = command['payload'];
  if (p instanceof Binary) return Buffer.from(p.buffer);
  if (p instanceof Uint8Array) return Buffer.from(p);
  if (typeof p === 'string') return Buffer.from(p, 'base64');
  throw commandError('BadValue', 'payload must be binary data');
}

/** MongoDB's answer to any credential problem (unknown user, wrong password): nothing more. */
function authenticationFailed(ctx: CommandContext, user: string, reason: string): never {
  ctx.logger.warn(
    `connection ${ctx.connectionId}: authentication of "${user}" on "${ctx.db}" with ${SCRAM_SHA_256} failed: ${reason}`,
  );
  throw commandError('AuthenticationFailed', 'Authentication failed.');
}

function saslStart(command: Doc, ctx: CommandContext): Doc {
  const users = ctx.auth.users;
  const mechanism = String(command['mechanism'] ?? '');
  if (users === undefined || mechanism !== SCRAM_SHA_256) {
    // The driver falls back to SCRAM-SHA-1 only when hello did not list SCRAM-SHA-256 for the user,
    // that is for an unknown user: that is a failed authentication, as on MongoDB.
    if (users !== undefined && mechanism === 'SCRAM-SHA-1')
      authenticationFailed(ctx, '?', 'SCRAM-SHA-1 asked for (unknown user, or a client forcing SCRAM-SHA-1)');
    throw commandError(
      'MechanismUnavailable',
      `Received authentication for mechanism ${mechanism} which is not enabled`,
    );
  }
  const db = ctx.db;
  const conversation = new ScramSha256Conversation((user) => users.credential(db, user));
  const step = conversation.step(payloadOf(command));
  if (step.kind !== 'continue')
    authenticationFailed(ctx, conversation.user, step.kind === 'failed' ? step.reason : '?');
  const conversationId = ctx.auth.newConversationId();
  const options = command['options'] as Doc | undefined;
  ctx.auth.conversations.set(conversationId, {
    db,
    conversation,
    skipEmptyExchange: options?.['skipEmptyExchange'] === true,
    finished: false,
  });
  return { conversationId, done: false, payload: new Binary(step.payload) };
}

function saslContinue(command: Doc, ctx: CommandContext): Doc {
  const conversationId = Number(command['conversationId']);
  const state = ctx.auth.conversations.get(conversationId);
  if (!state || state.db !== ctx.db) throw commandError('ProtocolError', 'No SASL session state found');
  if (state.finished) {
    // The empty exchange a client without skipEmptyExchange sends after the server's signature.
    ctx.auth.conversations.delete(conversationId);
    return { conversationId, done: true, payload: new Binary(Buffer.alloc(0)) };
  }
  const step = state.conversation.step(payloadOf(command));
  if (step.kind !== 'done') {
    ctx.auth.conversations.delete(conversationId);
    authenticationFailed(
      ctx,
      state.conversation.user,
      step.kind === 'failed' ? step.reason : 'unexpected step',
    );
  }
  ctx.auth.authenticated.push({ user: state.conversation.user, db: state.db });
  ctx.logger.info(
    `connection ${ctx.connectionId}: authenticated "${state.conversation.user}" on "${state.db}" with ${SCRAM_SHA_256}`,
  );
  if (state.skipEmptyExchange) ctx.auth.conversations.delete(conversationId);
  else state.finished = true;
  return { conversationId, done: state.skipEmptyExchange, payload: new Binary(step.payload) };
}

function logout(_command: Doc, ctx: CommandContext): Doc {
  ctx.auth.authenticated.length = 0;
  return {};
}

function connectionStatus(_command: Doc, ctx: CommandContext): Doc {
  return {
    authInfo: {
      authenticatedUsers: ctx.auth.authenticated.map(({ user, db }) => ({ user, db })),
      authenticatedUserRoles: ctx.auth.authenticated.map(({ db }) => ({ role: 'root', db })),
    },
  };
}

/** `saslStart`, `saslContinue` (SCRAM-SHA-256), `logout` and `connectionStatus`. */
export const authCommands: Record<string, CommandHandler> = {
  saslStart,
  saslContinue,
  logout,
  connectionStatus,
};
