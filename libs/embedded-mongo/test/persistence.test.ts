import * as fs from 'node:fs';
import * as path from 'node:path';
import { MongoClient } from 'mongodb';
import { EmbeddedMongo, MongoLoggers, StorageError } from '../src';
import { CliProcess, exited, recordingLogger, spawnCli, tempDir } from './helpers';

describe('persistence under dataDir', () => {
  const dirs: string[] = [];
  const children: CliProcess[] = [];
  const dir = (): string => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };

  afterAll(async () => {
    for (const c of children) {
      if (c.child.exitCode === null && c.child.signalCode === null) {
        c.child.kill('SIGKILL');
        await exited(c.child);
      }
    }
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  async function withServer<T>(
    dataDir: string,
    fn: (client: MongoClient) => Promise<T>,
    options: { fsync?: 'always' | 'interval' | 'never'; compactionThreshold?: number } = {},
  ): Promise<T> {
    const mongo = await EmbeddedMongo.start({ port: 0, dataDir, logger: MongoLoggers.silent(), ...options });
    const client = await MongoClient.connect(mongo.uri, { serverSelectionTimeoutMS: 10_000 });
    try {
      return await fn(client);
    } finally {
      await client.close();
      await mongo.stop();
    }
  }

  it('reloads documents, indexes and drops after a restart on the same dataDir', async () => {
    const dataDir = dir();
    await withServer(dataDir, async (client) => {
      const db = client.db('shop');
      await db.collection('items').createIndex({ sku: 1 }, { unique: true });
      await db.collection('items').insertMany([
        { _id: 1 as never, sku: 'a', n: 1 },
        { _id: 2 as never, sku: 'b', n: 1 },
        { _id: 3 as never, sku: 'c', n: 1 },
      ]);
      await db.collection('items').updateOne({ _id: 2 as never }, { $inc: { n: 41 } });
      await db.collection('items').deleteOne({ _id: 3 as never });
      await db.collection('temp').insertOne({ x: 1 });
      await db.collection('temp').drop();
      await db.collection('gone').insertOne({ x: 1 });
      await client
        .db('other')
        .collection('o')
        .insertOne({ _id: 'o1' as never, when: new Date(5) });
      await client.db('dropped').collection('d').insertOne({ x: 1 });
      await client.db('dropped').dropDatabase();
    });
    await withServer(dataDir, async (client) => {
      const db = client.db('shop');
      expect(await db.collection('items').find().sort({ _id: 1 }).toArray()).toEqual([
        { _id: 1, sku: 'a', n: 1 },
        { _id: 2, sku: 'b', n: 42 },
      ]);
      expect((await db.listCollections().toArray()).map((c) => c.name).sort()).toEqual(['gone', 'items']);
      expect((await db.collection('items').listIndexes().toArray()).map((i) => i.name)).toEqual([
        '_id_',
        'sku_1',
      ]);
      await expect(db.collection('items').insertOne({ sku: 'a' })).rejects.toMatchObject({ code: 11000 });
      expect(
        await client
          .db('other')
          .collection('o')
          .findOne({ _id: 'o1' as never }),
      ).toEqual({ _id: 'o1', when: new Date(5) });
      expect((await client.db('admin').admin().listDatabases()).databases.map((d) => d.name).sort()).toEqual([
        'other',
        'shop',
      ]);
    });
  });

  it('keeps every acknowledged write across a kill -9 of the server process', async () => {
    const dataDir = dir();
    const first = await spawnCli(['--port', '0', '--data-dir', dataDir, '--log-level', 'warn']);
    children.push(first);
    const client = await MongoClient.connect(first.uri, { serverSelectionTimeoutMS: 10_000 });
    const c = client.db('sink').collection<{ _id: string; v: number }>('purchases');
    await c.createIndex({ v: 1 });
    for (let b = 0; b < 5; b++) {
      const ops = Array.from({ length: 400 }, (_, j) => ({
        updateOne: {
          filter: { _id: `p-${b * 400 + j}` },
          update: { $set: { v: b * 400 + j } },
          upsert: true,
        },
      }));
      await c.bulkWrite(ops, { ordered: false });
    }
    await c.deleteMany({ v: { $lt: 100 } });
    await c.updateOne({ _id: 'p-500' }, { $set: { v: -1 } });
    first.child.kill('SIGKILL');
    expect((await exited(first.child)).signal).toBe('SIGKILL');
    await client.close();

    const second = await spawnCli(['--port', '0', '--data-dir', dataDir, '--log-level', 'warn']);
    children.push(second);
    const client2 = await MongoClient.connect(second.uri, { serverSelectionTimeoutMS: 10_000 });
    try {
      const c2 = client2.db('sink').collection<{ _id: string; v: number }>('purchases');
      expect(await c2.countDocuments()).toBe(1900);
      expect(await c2.findOne({ _id: 'p-500' })).toEqual({ _id: 'p-500', v: -1 });
      expect(await c2.findOne({ _id: 'p-99' })).toBeNull();
      expect(await c2.findOne({ _id: 'p-1999' })).toEqual({ _id: 'p-1999', v: 1999 });
      expect((await c2.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_', 'v_1']);
      // replaying the same upserts after the crash creates no duplicates
      const replay = await c2.bulkWrite(
        Array.from({ length: 400 }, (_, j) => ({
          updateOne: { filter: { _id: `p-${1600 + j}` }, update: { $set: { v: 1600 + j } }, upsert: true },
        })),
        { ordered: false },
      );
      expect(replay.upsertedCount).toBe(0);
      expect(await c2.countDocuments()).toBe(1900);
    } finally {
      await client2.close();
      second.child.kill('SIGTERM');
      expect((await exited(second.child)).code).toBe(0);
    }
  });

  it('refuses a dataDir locked by another live server process', async () => {
    const dataDir = dir();
    const holder = await spawnCli(['--port', '0', '--data-dir', dataDir, '--log-level', 'warn']);
    children.push(holder);
    try {
      await expect(EmbeddedMongo.start({ port: 0, dataDir, logger: MongoLoggers.silent() })).rejects.toThrow(
        StorageError,
      );
      await expect(EmbeddedMongo.start({ port: 0, dataDir, logger: MongoLoggers.silent() })).rejects.toThrow(
        /is in use by process/,
      );
    } finally {
      holder.child.kill('SIGTERM');
      await exited(holder.child);
    }
  });

  it('refuses a dataDir already open in this process and releases it on stop', async () => {
    const dataDir = dir();
    const a = await EmbeddedMongo.start({ port: 0, dataDir, logger: MongoLoggers.silent() });
    try {
      await expect(EmbeddedMongo.start({ port: 0, dataDir, logger: MongoLoggers.silent() })).rejects.toThrow(
        /in use by another server in this process/,
      );
    } finally {
      await a.stop();
    }
    const b = await EmbeddedMongo.start({ port: 0, dataDir, logger: MongoLoggers.silent() });
    await b.stop();
  });

  it('drops a torn record at the end of a journal and keeps everything before it', async () => {
    const dataDir = dir();
    await withServer(dataDir, async (client) => {
      await client
        .db('t')
        .collection('c')
        .insertMany(Array.from({ length: 10 }, (_, i) => ({ _id: i as never, i })));
    });
    const journal = path.join(dataDir, 't', 'c.journal');
    const size = fs.statSync(journal).size;
    fs.appendFileSync(journal, Buffer.from([200, 0, 0, 0, 3, 1, 2])); // a record cut short by a crash
    const logger = recordingLogger();
    const mongo = await EmbeddedMongo.start({ port: 0, dataDir, logger });
    const client = await MongoClient.connect(mongo.uri);
    try {
      expect(logger.lines.join('\n')).toMatch(/dropping 7 bytes of a torn record/);
      expect(fs.statSync(journal).size).toBe(size);
      expect(await client.db('t').collection('c').countDocuments()).toBe(10);
      await client
        .db('t')
        .collection('c')
        .insertOne({ _id: 10 as never, i: 10 });
    } finally {
      await client.close();
      await mongo.stop();
    }
    await withServer(dataDir, async (client) => {
      expect(await client.db('t').collection('c').countDocuments()).toBe(11);
    });
  });

  it('compacts a journal full of overwritten versions without losing state', async () => {
    const dataDir = dir();
    const journal = path.join(dataDir, 'k', 'c.journal');
    let beforeCompactionBound = 0;
    await withServer(
      dataDir,
      async (client) => {
        const c = client.db('k').collection<{ _id: number; v: number }>('c');
        await c.createIndex({ v: 1 }, { unique: true, name: 'v_unique' });
        await c.insertMany(Array.from({ length: 20 }, (_, i) => ({ _id: i, v: i })));
        for (let round = 1; round <= 30; round++) {
          await c.bulkWrite(
            Array.from({ length: 20 }, (_, i) => ({
              updateOne: { filter: { _id: i }, update: { $set: { v: round * 100 + i } } },
            })),
            { ordered: false },
          );
        }
        // 20 inserts + 600 updates were journaled; compaction keeps about one record per live document
        beforeCompactionBound = 620;
      },
      { compactionThreshold: 50, fsync: 'always' },
    );
    const records = countRecords(fs.readFileSync(journal));
    expect(records).toBeLessThan(beforeCompactionBound / 4);
    await withServer(dataDir, async (client) => {
      const c = client.db('k').collection<{ _id: number; v: number }>('c');
      const docs = await c.find().sort({ _id: 1 }).toArray();
      expect(docs).toEqual(Array.from({ length: 20 }, (_, i) => ({ _id: i, v: 3000 + i })));
      expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_', 'v_unique']);
      await expect(c.insertOne({ _id: 99, v: 3000 })).rejects.toMatchObject({ code: 11000 });
    });
  });

  it('serves the same client again after a stop and a restart on the same port (an outage)', async () => {
    const dataDir = dir();
    const a = await EmbeddedMongo.start({ port: 0, dataDir, logger: MongoLoggers.silent() });
    const port = a.port;
    const client = await MongoClient.connect(a.uri, { serverSelectionTimeoutMS: 15_000 });
    let b: EmbeddedMongo | undefined;
    try {
      const c = client.db('o').collection<{ _id: string }>('c');
      await c.insertOne({ _id: 'before' });
      await a.stop();
      await expect(c.insertOne({ _id: 'during' })).rejects.toThrow();
      b = await EmbeddedMongo.start({ port, dataDir, logger: MongoLoggers.silent() });
      let attempts = 0;
      for (;;) {
        try {
          await c.insertOne({ _id: 'after' });
          break;
        } catch (e) {
          if (++attempts > 20) throw e;
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      expect((await c.find().sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual(['after', 'before']);
    } finally {
      await client.close();
      await a.stop();
      await b?.stop();
    }
  });

  it('removes its temporary dataDir on stop when none was given', async () => {
    const mongo = await EmbeddedMongo.start({ logger: MongoLoggers.silent() });
    const client = await MongoClient.connect(mongo.uri);
    await client.db('x').collection('y').insertOne({ a: 1 });
    await client.close();
    expect(fs.existsSync(mongo.dataDir)).toBe(true);
    await mongo.stop();
    expect(fs.existsSync(mongo.dataDir)).toBe(false);
  });
});

function countRecords(buf: Buffer): number {
  let n = 0;
  for (let at = 0; at + 4 <= buf.length; at += buf.readInt32LE(at)) n++;
  return n;
}
