import { CommandError } from '../../errors/embedded-mongo-error';
import { ErrorCode } from '../../errors/error-codes';
import { Doc } from '../storage/document-paths';
import { WITHOUT_AUTHENTICATION } from '../auth/connection-auth';
import { adminCommands } from './admin-commands';
import { authCommands } from './auth-commands';
import { catalogCommands } from './catalog-commands';
import { CommandContext, CommandHandler } from './command-context';
import { readCommands } from './read-commands';
import { writeCommands } from './write-commands';

const HANDLERS: Record<string, CommandHandler> = {
  ...adminCommands,
  ...authCommands,
  ...readCommands,
  ...writeCommands,
  ...catalogCommands,
};

/** Names of every supported command. */
export const SUPPORTED_COMMANDS: readonly string[] = Object.keys(HANDLERS).sort();

/** A MongoDB error reply. */
export function errorReply(code: number, codeName: string, errmsg: string): Doc {
  return { ok: 0, errmsg, code, codeName };
}

/**
 * Runs one command and returns its reply (never throws): unknown commands get CommandNotFound,
 * a {@link CommandError} becomes `{ ok: 0, errmsg, code, codeName }`, anything else InternalError.
 * Journal writes of the command are flushed before the reply is returned.
 */
export function dispatchCommand(command: Doc, ctx: CommandContext): Doc {
  const reply = runCommand(command, ctx);
  const name = Object.keys(command)[0] ?? '';
  ctx.server.stats.record(
    Object.prototype.hasOwnProperty.call(HANDLERS, name) ? name : '<unknown>',
    reply['ok'] !== 1,
  );
  return reply;
}

function runCommand(command: Doc, ctx: CommandContext): Doc {
  const name = Object.keys(command)[0];
  if (name === undefined)
    return errorReply(ErrorCode.FailedToParse, 'FailedToParse', 'empty command document');
  if (!Object.prototype.hasOwnProperty.call(HANDLERS, name)) {
    return errorReply(ErrorCode.CommandNotFound, 'CommandNotFound', `no such command: '${name}'`);
  }
  if (!ctx.db && name !== 'hello' && name !== 'isMaster' && name !== 'ismaster') {
    return errorReply(40571, 'Location40571', 'OP_MSG requests require a $db argument');
  }
  if (ctx.auth.required && ctx.auth.authenticated.length === 0 && !WITHOUT_AUTHENTICATION.has(name)) {
    return errorReply(ErrorCode.Unauthorized, 'Unauthorized', `Command ${name} requires authentication`);
  }
  if (command['txnNumber'] !== undefined || command['startTransaction'] !== undefined) {
    return errorReply(
      ErrorCode.IllegalOperation,
      'IllegalOperation',
      'Transaction numbers are only allowed on a replica set member or mongos',
    );
  }
  let reply: Doc;
  try {
    reply = HANDLERS[name](command, ctx);
    if (!('ok' in reply)) reply['ok'] = 1;
  } catch (e) {
    if (e instanceof CommandError) {
      reply = errorReply(e.code, e.codeName, e.message);
    } else {
      ctx.logger.error(`command ${name} failed: ${(e as Error)?.stack ?? String(e)}`);
      reply = errorReply(
        ErrorCode.InternalError,
        'InternalError',
        `${name} failed: ${(e as Error)?.message ?? String(e)}`,
      );
    }
  }
  try {
    ctx.storage.flush();
  } catch (e) {
    ctx.logger.error(`journal write after ${name} failed: ${(e as Error).message}`);
    return errorReply(
      ErrorCode.InternalError,
      'InternalError',
      `could not persist the write: ${(e as Error).message}`,
    );
  }
  return reply;
}
