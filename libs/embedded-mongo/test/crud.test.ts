import * as fs from 'node:fs';
import { Db, MongoBulkWriteError, MongoClient, MongoServerError, ObjectId } from 'mongodb';
import { EmbeddedMongo, MongoLoggers } from '../src';
import { tempDir } from './helpers';

describe('EmbeddedMongo through the official mongodb driver', () => {
  let dataDir: string;
  let mongo: EmbeddedMongo;
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    dataDir = tempDir();
    mongo = await EmbeddedMongo.start({ port: 0, dataDir, logger: MongoLoggers.silent() });
    client = await MongoClient.connect(mongo.uri, { serverSelectionTimeoutMS: 10_000 });
    db = client.db('crud');
  });

  afterAll(async () => {
    await client?.close();
    await mongo?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers the handshake as a standalone with the advertised limits', async () => {
    const hello = await db.admin().command({ hello: 1 });
    expect(hello).toMatchObject({
      isWritablePrimary: true,
      maxBsonObjectSize: 16 * 1024 * 1024,
      maxMessageSizeBytes: 48_000_000,
      maxWriteBatchSize: 100_000,
      logicalSessionTimeoutMinutes: 30,
      ok: 1,
    });
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(9);
    expect(hello.setName).toBeUndefined();
    expect(typeof hello.connectionId).toBe('number');
    expect(mongo.uri).toBe(`mongodb://127.0.0.1:${mongo.port}`);
    expect((await db.admin().ping()).ok).toBe(1);
    expect((await db.admin().buildInfo()).version).toBe('7.0.0');
    expect((await db.admin().serverStatus()).ok).toBe(1);
  });

  it('inserts, finds by _id and by query, with projection, sort, skip and limit', async () => {
    const c = db.collection('people');
    const res = await c.insertMany([
      { name: 'ann', age: 31, city: 'Oslo' },
      { name: 'bob', age: 25, city: 'Rome' },
      { name: 'cid', age: 40, city: 'Oslo' },
      { name: 'dee', age: 19, city: 'Lima' },
    ]);
    expect(res.insertedCount).toBe(4);
    const ann = await c.findOne({ _id: res.insertedIds[0] });
    expect(ann).toMatchObject({ name: 'ann', age: 31 });
    expect(Object.keys(ann as object)[0]).toBe('_id');
    const oslo = await c.find({ city: 'Oslo' }).sort({ age: -1 }).toArray();
    expect(oslo.map((p) => p.name)).toEqual(['cid', 'ann']);
    const page = await c
      .find({}, { projection: { _id: 0, name: 1 } })
      .sort({ name: 1 })
      .skip(1)
      .limit(2)
      .toArray();
    expect(page).toEqual([{ name: 'bob' }, { name: 'cid' }]);
    expect(await c.countDocuments({ age: { $gte: 25 } })).toBe(3);
    expect(await c.estimatedDocumentCount()).toBe(4);
    expect((await c.distinct('city')).sort()).toEqual(['Lima', 'Oslo', 'Rome']);
    expect(await c.findOne({ name: 'nobody' })).toBeNull();
  });

  it('updates with operators, replacement, multi and upsert, reporting n, nModified and upserted', async () => {
    const c = db.collection<{
      _id: string | ObjectId;
      n?: number;
      tags?: string[];
      gone?: boolean;
      name?: string;
      created?: boolean;
    }>('counters');
    await c.insertOne({ _id: 'a', n: 1, gone: true, tags: [] });
    const r1 = await c.updateOne(
      { _id: 'a' },
      { $inc: { n: 2 }, $unset: { gone: '' }, $push: { tags: 'x' } },
    );
    expect(r1).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    expect(await c.findOne({ _id: 'a' })).toEqual({ _id: 'a', n: 3, tags: ['x'] });
    const same = await c.updateOne({ _id: 'a' }, { $set: { n: 3 } });
    expect(same).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    const up = await c.updateOne(
      { _id: 'b' },
      { $set: { n: 10 }, $setOnInsert: { created: true } },
      { upsert: true },
    );
    expect(up).toMatchObject({ matchedCount: 0, modifiedCount: 0, upsertedCount: 1, upsertedId: 'b' });
    expect(await c.findOne({ _id: 'b' })).toEqual({ _id: 'b', n: 10, created: true });
    const again = await c.updateOne(
      { _id: 'b' },
      { $set: { n: 11 }, $setOnInsert: { created: false } },
      { upsert: true },
    );
    expect(again).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    expect(await c.findOne({ _id: 'b' })).toEqual({ _id: 'b', n: 11, created: true });
    const upByField = await c.updateOne({ name: 'zed' }, { $inc: { n: 1 } }, { upsert: true });
    expect(upByField.upsertedId).toBeInstanceOf(ObjectId);
    expect(await c.findOne({ name: 'zed' })).toMatchObject({ name: 'zed', n: 1 });
    const many = await c.updateMany({ n: { $gte: 3 } }, { $set: { tags: ['big'] } });
    expect(many).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    const rep = await c.replaceOne({ _id: 'a' }, { name: 'replaced' });
    expect(rep.modifiedCount).toBe(1);
    expect(await c.findOne({ _id: 'a' })).toEqual({ _id: 'a', name: 'replaced' });
    const repUp = await c.replaceOne({ _id: 'c' }, { name: 'new' }, { upsert: true });
    expect(repUp.upsertedId).toBe('c');
    const arr = db.collection('arrays');
    await arr.insertOne({
      _id: 'g' as never,
      grades: [
        { k: 'x', v: 1 },
        { k: 'y', v: 2 },
      ],
      old: 1,
      nums: [1, 2, 3],
    });
    await arr.updateOne({ _id: 'g' as never, 'grades.k': 'y' }, { $set: { 'grades.$.v': 20 } });
    await arr.updateOne({ _id: 'g' as never }, { $rename: { old: 'renamed' }, $addToSet: { nums: 3 } });
    await arr.updateOne({ _id: 'g' as never }, { $pull: { nums: 1 } as never, $mul: { renamed: 5 } });
    await expect(
      arr.updateOne({ _id: 'g' as never }, { $push: { nums: 9 }, $pull: { nums: 2 } } as never),
    ).rejects.toThrow(/conflict/);
    await arr.updateOne(
      { _id: 'g' as never },
      { $inc: { 'grades.$[e].v': 100 } },
      { arrayFilters: [{ 'e.k': 'x' }] },
    );
    await arr.updateOne({ _id: 'g' as never }, { $currentDate: { touched: true } });
    const g = await arr.findOne({ _id: 'g' as never });
    expect(g).toMatchObject({
      grades: [
        { k: 'x', v: 101 },
        { k: 'y', v: 20 },
      ],
      renamed: 5,
      nums: [2, 3],
    });
    expect(g?.['touched']).toBeInstanceOf(Date);
    await expect(c.updateOne({ _id: 'a' }, { $set: { _id: 'z' } })).rejects.toMatchObject({ code: 66 });
    await expect(c.updateOne({ _id: 'a' }, { $bogus: { x: 1 } } as never)).rejects.toThrow(
      /Unknown modifier: \$bogus/,
    );
    await expect(c.updateOne({ _id: 'a' }, { $inc: { name: 1 } } as never)).rejects.toMatchObject({
      code: 14,
    });
  });

  it('deletes one or many', async () => {
    const c = db.collection('trash');
    await c.insertMany([{ k: 1 }, { k: 1 }, { k: 1 }, { k: 2 }]);
    expect((await c.deleteOne({ k: 1 })).deletedCount).toBe(1);
    expect((await c.deleteMany({ k: 1 })).deletedCount).toBe(2);
    expect((await c.deleteMany({ k: 99 })).deletedCount).toBe(0);
    expect(await c.countDocuments()).toBe(1);
  });

  it('findOneAndUpdate, findOneAndReplace and findOneAndDelete', async () => {
    const c = db.collection('fam');
    await c.insertMany([
      { k: 'x', v: 1 },
      { k: 'y', v: 2 },
    ]);
    const after = await c.findOneAndUpdate({ k: 'x' }, { $inc: { v: 5 } }, { returnDocument: 'after' });
    expect(after).toMatchObject({ k: 'x', v: 6 });
    const before = await c.findOneAndReplace({ k: 'y' }, { k: 'y', v: 0 }, { returnDocument: 'before' });
    expect(before).toMatchObject({ k: 'y', v: 2 });
    const upserted = await c.findOneAndUpdate(
      { k: 'z' },
      { $set: { v: 9 } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(upserted).toMatchObject({ k: 'z', v: 9 });
    const deleted = await c.findOneAndDelete({ k: 'x' }, { projection: { _id: 0 } });
    expect(deleted).toEqual({ k: 'x', v: 6 });
    expect(await c.countDocuments()).toBe(2);
  });

  it('bulkWrite upserts keyed by _id are idempotent when replayed', async () => {
    const c = db.collection<{ _id: string; v: number; p: number }>('sink');
    const ops = Array.from({ length: 500 }, (_, i) => ({
      updateOne: { filter: { _id: `t-0-${i}` }, update: { $set: { v: i, p: i % 3 } }, upsert: true },
    }));
    const first = await c.bulkWrite(ops, { ordered: false });
    expect(first.upsertedCount).toBe(500);
    expect(first.matchedCount).toBe(0);
    const replay = await c.bulkWrite(ops, { ordered: false });
    expect(replay.upsertedCount).toBe(0);
    expect(replay.matchedCount).toBe(500);
    expect(replay.modifiedCount).toBe(0);
    expect(await c.countDocuments()).toBe(500);
    expect(await c.findOne({ _id: 't-0-42' })).toEqual({ _id: 't-0-42', v: 42, p: 0 });
    const mixed = await c.bulkWrite(
      [
        { insertOne: { document: { _id: 'extra', v: -1, p: 0 } } },
        { updateOne: { filter: { _id: 't-0-1' }, update: { $set: { v: 1000 } } } },
        { deleteOne: { filter: { _id: 't-0-2' } } },
        { replaceOne: { filter: { _id: 't-0-3' }, replacement: { v: 3, p: 9 } } },
      ],
      { ordered: true },
    );
    expect(mixed).toMatchObject({ insertedCount: 1, matchedCount: 2, modifiedCount: 2, deletedCount: 1 });
    expect(await c.countDocuments()).toBe(500);
  });

  it('keeps parallel bulkWrites from a connection pool consistent', async () => {
    const c = db.collection<{ _id: string; w: number }>('parallel');
    await Promise.all(
      Array.from({ length: 8 }, () =>
        c.bulkWrite(
          Array.from({ length: 250 }, (_, i) => ({
            updateOne: { filter: { _id: `k-${i}` }, update: { $inc: { w: 1 } }, upsert: true },
          })),
          { ordered: false },
        ),
      ),
    );
    expect(await c.countDocuments()).toBe(250);
    expect(await c.countDocuments({ w: 8 })).toBe(250);
  });

  it('enforces unique indexes with E11000 in writeErrors (single and compound keys)', async () => {
    const c = db.collection('users');
    expect(await c.createIndex({ email: 1 }, { unique: true })).toBe('email_1');
    expect(await c.createIndex({ org: 1, login: 1 }, { unique: true, name: 'org_login' })).toBe('org_login');
    await c.insertOne({ email: 'a@x', org: 'o', login: 'a' });
    const dup = await c.insertOne({ email: 'a@x', org: 'o', login: 'b' }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(MongoServerError);
    expect(dup).toMatchObject({ code: 11000, keyPattern: { email: 1 }, keyValue: { email: 'a@x' } });
    expect((dup as Error).message).toMatch(
      /^E11000 duplicate key error collection: crud.users index: email_1 dup key/,
    );
    await expect(c.insertOne({ email: 'b@x', org: 'o', login: 'a' })).rejects.toMatchObject({
      code: 11000,
      keyValue: { org: 'o', login: 'a' },
    });
    await c.insertOne({ email: 'c@x', org: 'p', login: 'a' });
    const bulk = await c
      .insertMany(
        [
          { email: 'd@x', org: 'q', login: 'd' },
          { email: 'a@x', org: 'q', login: 'e' },
          { email: 'e@x', org: 'q', login: 'f' },
        ],
        { ordered: false },
      )
      .catch((e: unknown) => e);
    expect(bulk).toBeInstanceOf(MongoBulkWriteError);
    const bwe = bulk as MongoBulkWriteError;
    expect(bwe.result.insertedCount).toBe(2);
    expect(bwe.writeErrors).toHaveLength(1);
    expect((Array.isArray(bwe.writeErrors) ? bwe.writeErrors : [bwe.writeErrors])[0]).toMatchObject({
      index: 1,
      code: 11000,
    });
    await expect(c.updateOne({ email: 'c@x' }, { $set: { email: 'a@x' } })).rejects.toMatchObject({
      code: 11000,
    });
    await expect(
      c.insertOne({ _id: (await c.findOne({ email: 'a@x' }))?._id, email: 'zz' }),
    ).rejects.toMatchObject({ code: 11000, keyPattern: { _id: 1 } });
    // the failed update left the document and index untouched, so the old value is still free to move
    await c.updateOne({ email: 'c@x' }, { $set: { email: 'c2@x' } });
    await c.insertOne({ email: 'c@x', org: 'r', login: 'r' });
    expect(await c.countDocuments()).toBe(5);
    // a unique index cannot be built over duplicates
    // (documents without an email would collide on null in email_1, as in MongoDB)
    await c.insertOne({ org: 't', login: 't' });
    await expect(c.insertOne({ org: 't', login: 'u' })).rejects.toMatchObject({
      code: 11000,
      keyValue: { email: null },
    });
    await c.insertMany([
      { dupe: 1, email: 'd1', org: 'd', login: '1' },
      { dupe: 1, email: 'd2', org: 'd', login: '2' },
    ]);
    await expect(c.createIndex({ dupe: 1 }, { unique: true, sparse: true })).rejects.toMatchObject({
      code: 11000,
    });
    // after dropping it, the duplicate is allowed
    await c.dropIndex('email_1');
    await c.insertOne({ email: 'a@x', org: 's', login: 's' });
  });

  it('enforces a partial unique index only on documents matching its filter, a sparse one only where the field exists', async () => {
    const c = db.collection('accounts');
    await c.createIndex({ email: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await c.insertOne({ email: 'a@x', active: true });
    // Outside the filter: as in MongoDB, duplicates of an indexed value are allowed.
    await c.insertMany([{ email: 'a@x', active: false }, { email: 'a@x' }]);
    await expect(c.insertOne({ email: 'a@x', active: true })).rejects.toMatchObject({
      code: 11000,
      keyValue: { email: 'a@x' },
    });
    // An update that brings a document into the filter is checked too.
    await expect(c.updateOne({ active: false }, { $set: { active: true } })).rejects.toMatchObject({
      code: 11000,
    });
    await c.updateOne({ email: 'a@x', active: true }, { $set: { active: false } });
    await c.insertOne({ email: 'a@x', active: true });
    expect(await c.countDocuments({ email: 'a@x' })).toBe(4);

    const s = db.collection('sparse');
    await s.createIndex({ nick: 1 }, { unique: true, sparse: true });
    await s.insertMany([{ n: 1 }, { n: 2 }]); // no nick: not indexed, no collision on null
    await s.insertOne({ nick: 'bo' });
    await expect(s.insertOne({ nick: 'bo' })).rejects.toMatchObject({ code: 11000 });
    expect(await s.countDocuments()).toBe(3);
  });

  it('pages a find cursor across getMore and kills cursors', async () => {
    const c = db.collection('many');
    await c.insertMany(Array.from({ length: 250 }, (_, i) => ({ i })));
    const cursor = c
      .find({ i: { $gte: 10 } })
      .sort({ i: 1 })
      .batchSize(30);
    const seen: number[] = [];
    for await (const doc of cursor) seen.push(doc['i'] as number);
    expect(seen).toEqual(Array.from({ length: 240 }, (_, i) => i + 10));
    const partial = c.find({}).batchSize(10);
    await partial.next();
    expect(partial.id?.toNumber()).toBeGreaterThan(0);
    await partial.close();
    const killed = await db.command({ killCursors: 'many', cursors: [partial.id] });
    expect(killed.cursorsNotFound).toHaveLength(1);
    const first = await db.command({ find: 'many', batchSize: 5 });
    const id = first.cursor.id;
    expect(first.cursor.firstBatch).toHaveLength(5);
    const more = await db.command({ getMore: id, collection: 'many', batchSize: 7 });
    expect(more.cursor.nextBatch).toHaveLength(7);
    expect((await db.command({ killCursors: 'many', cursors: [id] })).cursorsKilled).toHaveLength(1);
    await expect(db.command({ getMore: id, collection: 'many' })).rejects.toMatchObject({
      code: 43,
      codeName: 'CursorNotFound',
    });
    expect(await c.find({}).limit(-3).toArray()).toHaveLength(3);
  });

  it('runs aggregation pipelines ($match, $group, $sort, $skip, $limit, $project, $count, $lookup)', async () => {
    const sales = db.collection('sales');
    await sales.insertMany([
      { store: 'a', item: 'x', qty: 2, price: 10 },
      { store: 'a', item: 'y', qty: 1, price: 3 },
      { store: 'b', item: 'x', qty: 5, price: 10 },
      { store: 'c', item: 'z', qty: 1, price: 100 },
    ]);
    const byStore = await sales
      .aggregate([
        { $match: { price: { $lt: 50 } } },
        { $group: { _id: '$store', total: { $sum: { $multiply: ['$qty', '$price'] } }, n: { $sum: 1 } } },
        { $sort: { total: -1 } },
        { $project: { _id: 0, store: '$_id', total: 1, n: 1 } },
      ])
      .toArray();
    expect(byStore).toEqual([
      { total: 50, n: 1, store: 'b' },
      { total: 23, n: 2, store: 'a' },
    ]);
    expect(
      await sales
        .aggregate([
          { $sort: { qty: 1, price: 1 } },
          { $skip: 1 },
          { $limit: 2 },
          { $project: { _id: 0, item: 1 } },
        ])
        .toArray(),
    ).toEqual([{ item: 'z' }, { item: 'x' }]);
    expect(await sales.aggregate([{ $match: { item: 'x' } }, { $count: 'n' }]).toArray()).toEqual([{ n: 2 }]);
    await db.collection('stores').insertMany([{ _id: 'a' as never, city: 'Oslo' }]);
    const joined = await sales
      .aggregate([
        { $match: { store: 'a', item: 'x' } },
        { $lookup: { from: 'stores', localField: 'store', foreignField: '_id', as: 's' } },
      ])
      .toArray();
    expect(joined[0]['s']).toEqual([{ _id: 'a', city: 'Oslo' }]);
    const big = await sales.aggregate([{ $match: {} }], { batchSize: 1 }).toArray();
    expect(big).toHaveLength(4);
    await expect(sales.aggregate([{ $out: 'x' }]).toArray()).rejects.toThrow(/\$out is not supported/);
    await expect(sales.aggregate([{ $nope: 1 }]).toArray()).rejects.toMatchObject({ code: 2 });
  });

  it('lists, creates and drops collections, indexes and databases', async () => {
    const other = client.db('catalog');
    await other.createCollection('alpha');
    await expect(other.createCollection('alpha')).rejects.toMatchObject({
      code: 48,
      codeName: 'NamespaceExists',
    });
    await other.collection('beta').insertOne({ x: 1 });
    const names = (await other.listCollections().toArray()).map((c) => c.name).sort();
    expect(names).toEqual(['alpha', 'beta']);
    expect(
      (await other.listCollections({ name: 'beta' }, { nameOnly: true }).toArray()).map((c) => c.name),
    ).toEqual(['beta']);
    await other.collection('beta').createIndexes([{ key: { x: 1 } }, { key: { y: -1, z: 1 }, name: 'yz' }]);
    // creating the same indexes again (every service start does) is a no-op; a conflicting one is refused
    expect(
      await other.collection('beta').createIndexes([{ key: { x: 1 } }, { key: { y: -1, z: 1 }, name: 'yz' }]),
    ).toEqual(['x_1', 'yz']);
    await expect(other.collection('beta').createIndex({ x: 1 }, { unique: true })).rejects.toMatchObject({
      code: 85,
    });
    await expect(other.collection('beta').createIndex({ q: 1 }, { name: 'yz' })).rejects.toMatchObject({
      code: 86,
    });
    const indexes = await other.collection('beta').listIndexes().toArray();
    expect(indexes.map((i) => i.name)).toEqual(['_id_', 'x_1', 'yz']);
    expect(indexes[2]['key']).toEqual({ y: -1, z: 1 });
    expect(await other.collection('beta').indexExists('x_1')).toBe(true);
    await other.collection('beta').dropIndex('x_1');
    await expect(other.collection('beta').dropIndex('x_1')).rejects.toMatchObject({ code: 27 });
    await expect(other.collection('beta').dropIndex('_id_')).rejects.toMatchObject({ code: 72 });
    await other.collection('beta').dropIndexes();
    expect((await other.collection('beta').listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
    await expect(other.collection('missing').listIndexes().toArray()).rejects.toMatchObject({ code: 26 });
    const dbs = await client.db('admin').admin().listDatabases();
    expect(dbs.databases.map((d) => d.name)).toEqual(expect.arrayContaining(['catalog', 'crud']));
    expect(await other.collection('alpha').drop()).toBe(true);
    expect((await other.listCollections().toArray()).map((c) => c.name)).toEqual(['beta']);
    expect(await other.dropDatabase()).toBe(true);
    expect(await other.listCollections().toArray()).toEqual([]);
    expect((await client.db('admin').admin().listDatabases()).databases.map((d) => d.name)).not.toContain(
      'catalog',
    );
  });

  it('counts commands, connections and documents in stats() and serverStatus', async () => {
    const before = mongo.stats();
    await db.collection('stats').insertMany([{ a: 1 }, { a: 2 }]);
    await db.collection('stats').find({}).toArray();
    await db.command({ noSuchThing: 1 }).catch(() => undefined);
    const after = mongo.stats();
    expect(after.commands['insert'].total).toBe((before.commands['insert']?.total ?? 0) + 1);
    expect(after.commands['find'].total).toBe((before.commands['find']?.total ?? 0) + 1);
    expect(after.commands['<unknown>'].failed).toBe((before.commands['<unknown>']?.failed ?? 0) + 1);
    expect(after.documents).toBe(before.documents + 2);
    expect(after.connections).toBeGreaterThanOrEqual(1);
    const status = await db.admin().serverStatus();
    expect(status['opcounters']['insert']).toBe(after.commands['insert'].total);
    expect(status['connections']['current']).toBe(mongo.connectionCount);
  });

  it('answers unknown commands and bad arguments with MongoDB-style errors', async () => {
    const unknown = await db.command({ frobnicate: 1 }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(MongoServerError);
    expect(unknown).toMatchObject({
      code: 59,
      codeName: 'CommandNotFound',
      message: "no such command: 'frobnicate'",
    });
    await expect(db.command({ find: 42 })).rejects.toMatchObject({ code: 73 });
    await expect(db.command({ insert: 'x', documents: 'nope' })).rejects.toMatchObject({ code: 14 });
    await expect(
      db
        .collection('x')
        .find({ a: { $nope: 1 } })
        .toArray(),
    ).rejects.toMatchObject({ code: 2 });
    await expect(db.collection('x').insertOne({ _id: [1, 2] as never })).rejects.toThrow(
      /can't use an array for _id/,
    );
    // a document that would grow past 16 MiB is refused and left as it was
    const big = db.collection<{ _id: string; a?: string; b?: string }>('big');
    const nineMiB = 'x'.repeat(9 * 1024 * 1024);
    await big.insertOne({ _id: 'big', a: nineMiB });
    await expect(big.updateOne({ _id: 'big' }, { $set: { b: nineMiB } })).rejects.toMatchObject({
      code: 10334,
      codeName: 'BSONObjectTooLarge',
    });
    const stored = await big.findOne({ _id: 'big' });
    expect(stored?.a?.length).toBe(nineMiB.length);
    expect(stored?.b).toBeUndefined();
    // the server still works afterwards
    expect((await db.command({ ping: 1 })).ok).toBe(1);
  });
});
