import { EmbeddedMongo } from '@gmart/embedded-mongo';
import { MongoClient, MongoNetworkError, MongoServerError } from 'mongodb';
import { classifyWriteFailure } from '../src/internals/retriable';
import { startMongo } from '@gmart/test-support';
import { connectedClient } from './helpers';

describe('classifyWriteFailure', () => {
  let mongo: EmbeddedMongo;
  let client: MongoClient;
  beforeAll(async () => {
    mongo = await startMongo();
    client = await MongoClient.connect(mongo.uri);
  });
  afterAll(async () => {
    await client?.close();
    await mongo?.stop();
  });

  const failureOf = async (fn: () => Promise<unknown>) =>
    fn().then(
      () => {
        throw new Error('expected a failure');
      },
      (e) => e,
    );

  it('retries network errors and transient server codes; anything else is fatal', () => {
    expect(classifyWriteFailure(new MongoNetworkError('socket closed'), 3)).toEqual({
      kind: 'retry',
      reason: 'network',
      indexes: [0, 1, 2],
    });
    expect(classifyWriteFailure(new MongoServerError({ message: 'stepped down', code: 189 }), 2)).toEqual({
      kind: 'retry',
      reason: 'server',
      indexes: [0, 1],
    });
    expect(classifyWriteFailure(new MongoServerError({ message: 'bad value', code: 2 }), 2)).toEqual({
      kind: 'fatal',
      codes: [2],
    });
    expect(classifyWriteFailure(new Error('boom'), 1)).toEqual({ kind: 'fatal', codes: [] });
  });

  it('a duplicate _id (an upsert race) is retried for the failed operations only', async () => {
    const c = client.db('cls').collection('ids');
    await c.insertOne({ _id: 'taken' as never });
    const e = await failureOf(() =>
      c.bulkWrite(
        [
          { insertOne: { document: { _id: 'new1' } } },
          { insertOne: { document: { _id: 'taken' } } },
          { insertOne: { document: { _id: 'new2' } } },
        ] as never,
        { ordered: false },
      ),
    );
    expect(classifyWriteFailure(e, 3)).toEqual({ kind: 'retry', reason: 'write_error', indexes: [1] });
  });

  it('a duplicate key on a user unique index is fatal', async () => {
    const c = client.db('cls').collection('unique');
    await c.createIndex({ sku: 1 }, { unique: true });
    await c.insertOne({ _id: 'a' as never, sku: 'x' });
    const e = await failureOf(() =>
      c.bulkWrite(
        [{ replaceOne: { filter: { _id: 'b' }, replacement: { sku: 'x' }, upsert: true } }] as never,
        { ordered: false },
      ),
    );
    expect(classifyWriteFailure(e, 1)).toEqual({ kind: 'fatal', codes: [11000] });
  });

  it('a stopped server is a retriable network failure', async () => {
    const other = await startMongo();
    const c2 = await connectedClient(other.uri, 300);
    await other.stop();
    const coll = c2.db('x').collection('y');
    for (let i = 0; i < 2; i++) {
      const e = await failureOf(() =>
        coll.bulkWrite(
          [{ replaceOne: { filter: { _id: 'a' }, replacement: { v: 1 }, upsert: true } }] as never,
          { ordered: false },
        ),
      );
      expect(classifyWriteFailure(e, 1)).toMatchObject({ kind: 'retry', reason: 'network', indexes: [0] });
    }
    await c2.close();
  });
});
