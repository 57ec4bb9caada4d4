import { MongoClient, MongoServerError } from 'mongodb';
import { EmbeddedMongo } from '../src';
import { recordingLogger } from './helpers';

const USERS = {
  app: 'app-Secret-1',
  'reports.analyst': 'analyst-Pw-2',
  'we,ird=user': 'p@ss:w/rd?&=',
  // SASLprep: a non-ASCII space and a full-width letter, as the driver normalises them.
  unicode: 'p\u00e4ss\u00a0w\uff2frd',
};

/** The error a driver operation rejects with. */
async function failure(p: Promise<unknown>): Promise<MongoServerError> {
  try {
    await p;
  } catch (e) {
    return e as MongoServerError;
  }
  throw new Error('expected the operation to fail');
}

describe('SCRAM-SHA-256 authentication (official mongodb driver)', () => {
  let mongo: EmbeddedMongo;
  const log = recordingLogger();
  const clients: MongoClient[] = [];
  const client = (uri: string) => {
    const c = new MongoClient(uri, { serverSelectionTimeoutMS: 3000 });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    mongo = await EmbeddedMongo.start({ auth: { users: USERS }, logger: log });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await mongo?.stop();
  });

  it('authenticates mongodb://user:pass@host/db?authSource=admin and serves every command', async () => {
    const c = client(mongo.uriFor('app', USERS.app, 'shop'));
    const db = c.db();
    await db.collection('orders').insertOne({ _id: 1, item: 'coffee' } as never);
    expect(await db.collection('orders').findOne({ _id: 1 } as never)).toEqual({ _id: 1, item: 'coffee' });
    const status = await db.admin().command({ connectionStatus: 1 });
    expect(status.authInfo.authenticatedUsers).toEqual([{ user: 'app', db: 'admin' }]);
    expect(mongo.authRequired).toBe(true);
  });

  it('authenticates with the mechanism named explicitly, a user of another database, and escaped characters', async () => {
    const explicit = client(`${mongo.uriFor('app', USERS.app, 'shop')}&authMechanism=SCRAM-SHA-256`);
    await explicit.db().command({ ping: 1 });
    expect(await explicit.db().collection('orders').countDocuments()).toBeGreaterThanOrEqual(0);
    const analyst = client(mongo.uriFor('analyst', USERS['reports.analyst'], 'reports', 'reports'));
    await analyst.db().collection('r').insertOne({ x: 1 });
    const weird = client(mongo.uriFor('we,ird=user', USERS['we,ird=user'], 'shop'));
    expect(await weird.db().collection('orders').countDocuments()).toBeGreaterThanOrEqual(1);
    const unicode = client(mongo.uriFor('unicode', USERS.unicode, 'shop'));
    expect(await unicode.db().collection('orders').countDocuments()).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['a wrong password', () => mongo.uriFor('app', 'wrong-Pw', 'shop')],
    ['an unknown user', () => mongo.uriFor('mallory', 'x', 'shop')],
    ['the right user in the wrong authSource', () => mongo.uriFor('app', USERS.app, 'shop', 'shop')],
    ['SCRAM-SHA-1 forced', () => `${mongo.uriFor('app', USERS.app, 'shop')}&authMechanism=SCRAM-SHA-1`],
  ])('refuses %s with AuthenticationFailed (18), naming no secret', async (_what, uri) => {
    const e = await failure(client(uri()).connect());
    expect(e.code).toBe(18);
    expect(e.codeName).toBe('AuthenticationFailed');
    expect(e.message).toBe('Authentication failed.');
    const logged = log.lines.join('\n');
    expect(logged).toMatch(/authentication of ".*" on ".*" with SCRAM-SHA-256 failed/);
    for (const secret of [...Object.values(USERS), 'wrong-Pw']) expect(logged).not.toContain(secret);
  });

  it('refuses commands before authentication with Unauthorized (13); hello and ping still answer', async () => {
    const c = client(mongo.uri);
    await c.connect();
    expect((await c.db('admin').command({ ping: 1 })).ok).toBe(1);
    const hello = await c.db('admin').command({ hello: 1, saslSupportedMechs: 'admin.app' });
    expect(hello.saslSupportedMechs).toEqual(['SCRAM-SHA-256']);
    const unknown = await c.db('admin').command({ hello: 1, saslSupportedMechs: 'admin.mallory' });
    expect(unknown.saslSupportedMechs).toBeUndefined();
    for (const op of [
      () => c.db('shop').collection('orders').findOne({}),
      () => c.db('shop').collection('orders').insertOne({ sneaky: true }),
      () => c.db('shop').command({ listCollections: 1 }),
      () => c.db('admin').command({ listDatabases: 1 }),
    ]) {
      const e = await failure(op());
      expect(e.code).toBe(13);
      expect(e.codeName).toBe('Unauthorized');
      expect(e.message).toMatch(/requires authentication/);
    }
    const admin = client(mongo.uriFor('app', USERS.app));
    expect(await admin.db('shop').collection('orders').countDocuments({ sneaky: true })).toBe(0);
  });

  it('is off by default: no credentials needed', async () => {
    const open = await EmbeddedMongo.start({ logger: recordingLogger() });
    try {
      const c = client(open.uri);
      await c.db('x').collection('y').insertOne({ a: 1 });
      expect(open.authRequired).toBe(false);
    } finally {
      await clients.pop()!.close();
      await open.stop();
    }
  });
});
