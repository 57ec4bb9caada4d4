import { ObjectId } from 'bson';
import { CommandError } from '../../errors/embedded-mongo-error';
import { commandError } from '../../errors/error-codes';
import { Filter, findDocuments, projectDocument } from '../query/query-engine';
import { applyUpdate, updateKind, upsertSeed } from '../query/update-document';
import { Collection } from '../storage/collection';
import { Doc, isPlainObject } from '../storage/document-paths';
import { DuplicateKeyError } from '../storage/unique-index';
import { collectionName, optionalBool, optionalDoc, requiredArray } from './command-args';
import { CommandContext, CommandHandler } from './command-context';
import { ServerConstants } from './server-constants';

/** One entry of a `writeErrors` array. */
function writeError(index: number, e: unknown): Doc {
  if (e instanceof DuplicateKeyError) {
    return {
      index,
      code: e.code,
      codeName: e.codeName,
      errmsg: e.message,
      keyPattern: e.keyPattern,
      keyValue: e.keyValue,
    };
  }
  if (e instanceof CommandError) return { index, code: e.code, codeName: e.codeName, errmsg: e.message };
  throw e;
}

/** Gives a new document an `_id` (first field) when it has none; rejects array `_id`s. */
function withId(doc: Doc): Doc {
  if (!('_id' in doc)) return { _id: new ObjectId(), ...doc };
  const id = doc['_id'];
  if (Object.keys(doc)[0] !== '_id') {
    // MongoDB stores _id as the first field
    const { _id, ...rest } = doc;
    doc = { _id, ...rest };
  }
  if (Array.isArray(id)) throw commandError('BadValue', "can't use an array for _id");
  if (id instanceof RegExp) throw commandError('BadValue', "can't use a regex for _id");
  if (isPlainObject(id) && Object.keys(id).some((k) => k.startsWith('$'))) {
    throw commandError('BadValue', "_id fields may not contain '$'-prefixed fields");
  }
  return doc;
}

function checkBatch(ops: unknown[], name: string): void {
  if (ops.length > ServerConstants.maxWriteBatchSize) {
    throw commandError(
      'InvalidOptions',
      `Write batch sizes must be between 1 and ${ServerConstants.maxWriteBatchSize}. Got ${ops.length} operations.`,
    );
  }
  if (ops.length === 0)
    throw commandError(
      'InvalidOptions',
      `Write batch sizes must be between 1 and ${ServerConstants.maxWriteBatchSize}. Got 0 operations (${name}).`,
    );
}

function insert(command: Doc, ctx: CommandContext): Doc {
  const name = collectionName(command, 'insert', ctx.db);
  const documents = requiredArray(command, 'documents');
  checkBatch(documents, 'insert');
  const ordered = optionalBool(command, 'ordered', true);
  const collection = ctx.storage.getOrCreate(ctx.db, name);
  const errors: Doc[] = [];
  let n = 0;
  for (let i = 0; i < documents.length; i++) {
    try {
      const raw = documents[i];
      if (!isPlainObject(raw)) throw commandError('TypeMismatch', `document ${i} is not an object`);
      collection.insert(withId(raw));
      n++;
    } catch (e) {
      errors.push(writeError(i, e));
      if (ordered) break;
    }
  }
  return errors.length ? { n, writeErrors: errors } : { n };
}

/** Inserts the document an upsert creates; returns its `_id`. */
function upsertInsert(
  collection: Collection,
  filter: Doc,
  update: unknown,
  arrayFilters: Doc[] | undefined,
): { id: unknown; doc: Doc } {
  const seed = upsertSeed(filter);
  const start: Doc =
    updateKind(update) === 'replacement' ? ('_id' in seed ? { _id: seed['_id'] } : {}) : seed;
  const { doc } = applyUpdate(start, update, { isInsert: true, arrayFilters });
  const stored = withId(doc);
  collection.insert(stored);
  return { id: stored['_id'], doc: stored };
}

function update(command: Doc, ctx: CommandContext): Doc {
  const name = collectionName(command, 'update', ctx.db);
  const updates = requiredArray(command, 'updates');
  checkBatch(updates, 'update');
  const ordered = optionalBool(command, 'ordered', true);
  const errors: Doc[] = [];
  const upserted: Doc[] = [];
  let n = 0;
  let nModified = 0;
  for (let i = 0; i < updates.length; i++) {
    try {
      const op = updates[i];
      if (!isPlainObject(op)) throw commandError('TypeMismatch', `update statement ${i} is not an object`);
      const q = optionalDoc(op, 'q') ?? {};
      const u = op['u'];
      const multi = optionalBool(op, 'multi', false);
      const upsert = optionalBool(op, 'upsert', false);
      const arrayFilters = op['arrayFilters'] as Doc[] | undefined;
      const kind = updateKind(u);
      if (multi && kind === 'replacement')
        throw commandError('FailedToParse', 'multi update is not supported for replacement-style update');
      const filter = new Filter(q);
      let collection = ctx.storage.get(ctx.db, name);
      const matches = filter.select(collection, multi ? 0 : 1);
      if (matches.length > 0 && collection) {
        for (const doc of matches) {
          const outcome = applyUpdate(doc, u, { isInsert: false, arrayFilters, filter: q });
          if (outcome.modified) {
            collection.replace(doc, outcome.doc);
            nModified++;
          }
          n++;
        }
      } else if (upsert) {
        collection ??= ctx.storage.getOrCreate(ctx.db, name);
        const { id } = upsertInsert(collection, q, u, arrayFilters);
        upserted.push({ index: i, _id: id });
        n++;
      }
    } catch (e) {
      errors.push(writeError(i, e));
      if (ordered) break;
    }
  }
  const reply: Doc = { n, nModified };
  if (upserted.length) reply['upserted'] = upserted;
  if (errors.length) reply['writeErrors'] = errors;
  return reply;
}

function remove(command: Doc, ctx: CommandContext): Doc {
  const name = collectionName(command, 'delete', ctx.db);
  const deletes = requiredArray(command, 'deletes');
  checkBatch(deletes, 'delete');
  const ordered = optionalBool(command, 'ordered', true);
  const errors: Doc[] = [];
  let n = 0;
  for (let i = 0; i < deletes.length; i++) {
    try {
      const op = deletes[i];
      if (!isPlainObject(op)) throw commandError('TypeMismatch', `delete statement ${i} is not an object`);
      const limit = op['limit'] ?? 0;
      if (limit !== 0 && limit !== 1)
        throw commandError(
          'BadValue',
          `The limit field in delete objects must be 0 or 1. Got ${String(limit)}`,
        );
      const collection = ctx.storage.get(ctx.db, name);
      const matches = new Filter(optionalDoc(op, 'q') ?? {}).select(collection, limit as number);
      for (const doc of matches) collection?.delete(doc);
      n += matches.length;
    } catch (e) {
      errors.push(writeError(i, e));
      if (ordered) break;
    }
  }
  return errors.length ? { n, writeErrors: errors } : { n };
}

function project(doc: Doc | undefined, fields: Doc | undefined): Doc | null {
  if (!doc) return null;
  return fields && Object.keys(fields).length > 0 ? projectDocument(doc, fields) : doc;
}

function findAndModify(command: Doc, ctx: CommandContext): Doc {
  const key = 'findAndModify' in command ? 'findAndModify' : 'findandmodify';
  const name = collectionName(command, key, ctx.db);
  const query = optionalDoc(command, 'query') ?? {};
  const sort = optionalDoc(command, 'sort');
  const fields = optionalDoc(command, 'fields');
  const remove = optionalBool(command, 'remove', false);
  const returnNew = optionalBool(command, 'new', false);
  const upsert = optionalBool(command, 'upsert', false);
  const u = command['update'];
  const arrayFilters = command['arrayFilters'] as Doc[] | undefined;
  if (remove && u !== undefined)
    throw commandError('FailedToParse', 'Cannot specify both an update and remove=true');
  if (!remove && u === undefined)
    throw commandError('FailedToParse', 'Either an update or remove=true must be specified');
  if (remove && upsert)
    throw commandError('FailedToParse', 'Cannot specify both upsert=true and remove=true');
  let collection = ctx.storage.get(ctx.db, name);
  const found = findDocuments(collection, { filter: query, sort, limit: 1 })[0];
  const stored = found && collection ? collection.findById(found['_id']) : undefined;
  if (remove) {
    if (stored && collection) collection.delete(stored);
    return { lastErrorObject: { n: stored ? 1 : 0 }, value: project(stored, fields) };
  }
  if (stored && collection) {
    const outcome = applyUpdate(stored, u, { isInsert: false, arrayFilters, filter: query });
    if (outcome.modified) collection.replace(stored, outcome.doc);
    return {
      lastErrorObject: { n: 1, updatedExisting: true },
      value: project(returnNew ? outcome.doc : stored, fields),
    };
  }
  if (upsert) {
    collection ??= ctx.storage.getOrCreate(ctx.db, name);
    const { id, doc } = upsertInsert(collection, query, u, arrayFilters);
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: id },
      value: returnNew ? project(doc, fields) : null,
    };
  }
  return { lastErrorObject: { n: 0, updatedExisting: false }, value: null };
}

/** insert, update, delete and findAndModify. */
export const writeCommands: Record<string, CommandHandler> = {
  insert,
  update,
  delete: remove,
  findAndModify,
  findandmodify: findAndModify,
};
