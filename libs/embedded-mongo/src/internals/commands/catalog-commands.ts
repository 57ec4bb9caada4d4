import * as fs from 'node:fs';
import { commandError } from '../../errors/error-codes';
import { Filter } from '../query/query-engine';
import { Doc, isPlainObject } from '../storage/document-paths';
import { ID_INDEX, IndexSpec, parseIndexSpec } from '../storage/index-spec';
import { validateNames } from '../storage/storage-engine';
import { collectionName, optionalBool, optionalCount, optionalDoc, requiredArray } from './command-args';
import { CommandContext, CommandHandler } from './command-context';

function create(command: Doc, ctx: CommandContext): Doc {
  const name = collectionName(command, 'create', ctx.db);
  if (ctx.storage.get(ctx.db, name))
    throw commandError('NamespaceExists', `Collection ${ctx.db}.${name} already exists.`);
  const options: Doc = {};
  for (const [k, v] of Object.entries(command)) {
    if (k === 'create' || k.startsWith('$') || k === 'lsid' || k === 'writeConcern' || k === 'comment')
      continue;
    options[k] = v;
  }
  ctx.storage.getOrCreate(ctx.db, name, options);
  return {};
}

function drop(command: Doc, ctx: CommandContext): Doc {
  const name = collectionName(command, 'drop', ctx.db);
  const collection = ctx.storage.get(ctx.db, name);
  if (!collection) return {};
  const nIndexesWas = collection.indexes.length;
  ctx.storage.drop(ctx.db, name);
  return { nIndexesWas, ns: `${ctx.db}.${name}` };
}

function dropDatabase(_command: Doc, ctx: CommandContext): Doc {
  validateNames(ctx.db);
  ctx.storage.dropDatabase(ctx.db);
  return { dropped: ctx.db };
}

function listCollections(command: Doc, ctx: CommandContext): Doc {
  validateNames(ctx.db);
  const nameOnly = optionalBool(command, 'nameOnly', false);
  const entries: Doc[] = ctx.storage.listCollections(ctx.db).map((c) =>
    nameOnly
      ? { name: c.name, type: 'collection' }
      : {
          name: c.name,
          type: 'collection',
          options: c.options,
          info: { readOnly: false },
          idIndex: ID_INDEX,
        },
  );
  const filter = optionalDoc(command, 'filter');
  const selected = filter ? entries.filter((e) => new Filter(filter).test(e)) : entries;
  const cursor = optionalDoc(command, 'cursor');
  return ctx.cursors.open(
    `${ctx.db}.$cmd.listCollections`,
    selected,
    cursor ? optionalCount(cursor, 'batchSize') : undefined,
  );
}

function listDatabases(command: Doc, ctx: CommandContext): Doc {
  const nameOnly = optionalBool(command, 'nameOnly', false);
  const databases: Doc[] = ctx.storage.databaseNames().map((name) => {
    if (nameOnly) return { name };
    let sizeOnDisk = 0;
    for (const c of ctx.storage.listCollections(name)) {
      try {
        sizeOnDisk += fs.statSync(c.journal.file).size;
      } catch {
        // not flushed yet
      }
    }
    return { name, sizeOnDisk, empty: ctx.storage.listCollections(name).every((c) => c.docs.size === 0) };
  });
  const filter = optionalDoc(command, 'filter');
  const selected = filter ? databases.filter((d) => new Filter(filter).test(d)) : databases;
  if (nameOnly) return { databases: selected };
  return {
    databases: selected,
    totalSize: selected.reduce((sum, d) => sum + (d['sizeOnDisk'] as number), 0),
  };
}

function createIndexes(command: Doc, ctx: CommandContext): Doc {
  const name = collectionName(command, 'createIndexes', ctx.db);
  const raw = requiredArray(command, 'indexes');
  if (raw.length === 0) throw commandError('BadValue', 'Must specify at least one index to create');
  const specs = raw.map(parseIndexSpec);
  const existed = ctx.storage.get(ctx.db, name) !== undefined;
  const collection = ctx.storage.getOrCreate(ctx.db, name);
  const before = collection.indexes.length;
  let created = 0;
  for (const spec of specs) if (collection.createIndex(spec)) created++;
  const reply: Doc = {
    numIndexesBefore: before,
    numIndexesAfter: collection.indexes.length,
    createdCollectionAutomatically: !existed,
  };
  if (created === 0) reply['note'] = 'all indexes already exist';
  return reply;
}

function listIndexes(command: Doc, ctx: CommandContext): Doc {
  const name = collectionName(command, 'listIndexes', ctx.db);
  const collection = ctx.storage.get(ctx.db, name);
  if (!collection) throw commandError('NamespaceNotFound', `ns does not exist: ${ctx.db}.${name}`);
  const cursor = optionalDoc(command, 'cursor');
  return ctx.cursors.open(
    `${ctx.db}.${name}`,
    collection.indexes.map((i) => ({ ...i }) as Doc),
    cursor ? optionalCount(cursor, 'batchSize') : undefined,
  );
}

function dropIndexes(command: Doc, ctx: CommandContext): Doc {
  const key = 'dropIndexes' in command ? 'dropIndexes' : 'deleteIndexes';
  const name = collectionName(command, key, ctx.db);
  const collection = ctx.storage.get(ctx.db, name);
  if (!collection) throw commandError('NamespaceNotFound', `ns not found ${ctx.db}.${name}`);
  const nIndexesWas = collection.indexes.length;
  const index = command['index'];
  const byKey = (k: Doc): IndexSpec => {
    const found = collection.indexes.find((i) => JSON.stringify(i.key) === JSON.stringify(k));
    if (!found) throw commandError('IndexNotFound', `can't find index with key: ${JSON.stringify(k)}`);
    return found;
  };
  if (index === '*') {
    for (const spec of [...collection.indexes]) if (spec.name !== '_id_') collection.dropIndex(spec.name);
  } else if (typeof index === 'string') {
    collection.dropIndex(index);
  } else if (Array.isArray(index)) {
    for (const n of index) collection.dropIndex(String(n));
  } else if (isPlainObject(index)) {
    collection.dropIndex(byKey(index).name);
  } else {
    throw commandError('TypeMismatch', "'index' must be a name, a key pattern, an array of names or '*'");
  }
  return { nIndexesWas };
}

function dbStats(_command: Doc, ctx: CommandContext): Doc {
  const collections = ctx.storage.listCollections(ctx.db);
  return {
    db: ctx.db,
    collections: collections.length,
    views: 0,
    objects: collections.reduce((n, c) => n + c.docs.size, 0),
    indexes: collections.reduce((n, c) => n + c.indexes.length, 0),
  };
}

/** Collection, database and index management. */
export const catalogCommands: Record<string, CommandHandler> = {
  create,
  drop,
  dropDatabase,
  listCollections,
  listDatabases,
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
  dbStats,
};
