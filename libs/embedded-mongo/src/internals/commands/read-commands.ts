import { Aggregator } from 'mingo';
import { commandError } from '../../errors/error-codes';
import { asQueryError, Filter, findDocuments } from '../query/query-engine';
import { MINGO_OPTIONS } from '../query/mingo-options';
import { Doc, getPath, isPlainObject } from '../storage/document-paths';
import { valueKey } from '../storage/value-key';
import { collectionName, optionalBool, optionalCount, optionalDoc, requiredArray } from './command-args';
import { CommandContext, CommandHandler } from './command-context';

function find(command: Doc, ctx: CommandContext): Doc {
  const name = collectionName(command, 'find', ctx.db);
  const rawLimit = optionalCount(command, 'limit') ?? 0;
  const skip = optionalCount(command, 'skip') ?? 0;
  const batchSize = optionalCount(command, 'batchSize');
  if (skip < 0) throw commandError('BadValue', 'skip value must be non-negative');
  if (batchSize !== undefined && batchSize < 0)
    throw commandError('BadValue', 'batchSize value must be non-negative');
  const singleBatch = optionalBool(command, 'singleBatch', false) || rawLimit < 0;
  const limit = Math.abs(rawLimit);
  const docs = findDocuments(ctx.storage.get(ctx.db, name), {
    filter: optionalDoc(command, 'filter'),
    sort: optionalDoc(command, 'sort'),
    projection: optionalDoc(command, 'projection'),
    skip,
    limit,
  });
  const firstBatchSize = singleBatch && batchSize === undefined ? limit || docs.length : batchSize;
  return ctx.cursors.open(`${ctx.db}.${name}`, docs, firstBatchSize, singleBatch);
}

function getMore(command: Doc, ctx: CommandContext): Doc {
  // not validated as a collection name: cursors of listCollections live on `$cmd.listCollections`
  const name = command['collection'];
  if (typeof name !== 'string' || name.length === 0) {
    throw commandError('TypeMismatch', "getMore needs the cursor's 'collection' as a string");
  }
  return ctx.cursors.getMore(command['getMore'], `${ctx.db}.${name}`, optionalCount(command, 'batchSize'));
}

function killCursors(command: Doc, ctx: CommandContext): Doc {
  collectionName(command, 'killCursors', ctx.db);
  return ctx.cursors.kill(requiredArray(command, 'cursors'));
}

function count(command: Doc, ctx: CommandContext): Doc {
  const name = collectionName(command, 'count', ctx.db);
  const query = optionalDoc(command, 'query') ?? {};
  const collection = ctx.storage.get(ctx.db, name);
  const skip = optionalCount(command, 'skip') ?? 0;
  const limit = Math.abs(optionalCount(command, 'limit') ?? 0);
  let n =
    Object.keys(query).length === 0
      ? (collection?.docs.size ?? 0)
      : new Filter(query).select(collection).length;
  n = Math.max(0, n - skip);
  if (limit > 0) n = Math.min(n, limit);
  return { n };
}

function distinct(command: Doc, ctx: CommandContext): Doc {
  const name = collectionName(command, 'distinct', ctx.db);
  const key = command['key'];
  if (typeof key !== 'string') throw commandError('TypeMismatch', "'key' must be a string");
  const docs = new Filter(optionalDoc(command, 'query') ?? {}).select(ctx.storage.get(ctx.db, name));
  const seen = new Map<string, unknown>();
  for (const doc of docs) {
    const value = getPath(doc, key);
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      const k = valueKey(v);
      if (!seen.has(k)) seen.set(k, v);
    }
  }
  return { values: [...seen.values()] };
}

const UNSUPPORTED_STAGES = new Set([
  '$out',
  '$merge',
  '$changeStream',
  '$currentOp',
  '$listSessions',
  '$collStats',
  '$indexStats',
]);

function aggregate(command: Doc, ctx: CommandContext): Doc {
  const target = command['aggregate'];
  const collectionLess = target === 1;
  const name = collectionLess ? '$cmd.aggregate' : collectionName(command, 'aggregate', ctx.db);
  const pipeline = requiredArray(command, 'pipeline');
  for (const stage of pipeline) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1) {
      throw commandError(
        'TypeMismatch',
        "Each element of the 'pipeline' array must be an object with exactly one field",
      );
    }
    const op = Object.keys(stage)[0];
    if (UNSUPPORTED_STAGES.has(op))
      throw commandError('NotImplemented', `aggregation stage ${op} is not supported by embedded-mongo`);
  }
  const cursorOption = optionalDoc(command, 'cursor');
  if (!cursorOption && !command['explain']) {
    throw commandError(
      'FailedToParse',
      "The 'cursor' option is required, except for aggregate with the explain argument",
    );
  }
  const source = collectionLess ? [] : [...(ctx.storage.get(ctx.db, name)?.docs.values() ?? [])];
  let docs: Doc[];
  try {
    const aggregator = new Aggregator(pipeline as Doc[], {
      ...MINGO_OPTIONS,
      collectionResolver: (other: string) => [...(ctx.storage.get(ctx.db, other)?.docs.values() ?? [])],
    });
    docs = aggregator.run(source) as Doc[];
  } catch (e) {
    throw asQueryError(e);
  }
  const batchSize = cursorOption ? optionalCount(cursorOption, 'batchSize') : undefined;
  return ctx.cursors.open(`${ctx.db}.${name}`, docs, batchSize);
}

/** find, getMore, killCursors, count, distinct and aggregate. */
export const readCommands: Record<string, CommandHandler> = {
  find,
  getMore,
  killCursors,
  count,
  distinct,
  aggregate,
};
