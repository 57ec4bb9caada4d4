import { MongoClient } from 'mongodb';
import { Registry } from 'prom-client';
import { MongoSink, MongoSinkConfigError, MongoSinkOptions } from '../src';

describe('MongoSinkOptions', () => {
  const client = new MongoClient('mongodb://127.0.0.1:1', { serverSelectionTimeoutMS: 100 });
  const collection = client.db('d').collection('c');
  afterAll(() => client.close());

  const bad = (settings: Record<string, unknown>, option: string, text: RegExp) => {
    let err: unknown;
    try {
      MongoSink.supplier({ name: 'ok', collection, ...settings } as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MongoSinkConfigError);
    expect((err as MongoSinkConfigError).option).toBe(option);
    expect((err as Error).message).toMatch(text);
  };

  it('fills in the defaults', () => {
    const o = MongoSinkOptions.of({ name: 'purchases', collection });
    expect(o.batchSize).toBe(1000);
    expect(o.maxBufferedDocuments).toBe(10000);
    expect(o.writeMode).toBe('replace');
    expect(o.initialBackoffMs).toBe(100);
    expect(o.maxBackoffMs).toBe(5000);
    expect(o.maxRetryTimeMs).toBe(Infinity);
    expect(o.storeName).toBe('purchases-mongodb-sink');
    expect(o.collection()).toBe(collection);
    expect(Object.isFrozen(o)).toBe(true);
  });

  it('accepts a collection function, resolved lazily', () => {
    let calls = 0;
    const o = MongoSinkOptions.of({ name: 'lazy', collection: () => (calls++, collection) });
    expect(calls).toBe(0);
    expect(o.collection()).toBe(collection);
    expect(calls).toBe(1);
    const broken = MongoSinkOptions.of({ name: 'lazy', collection: () => ({}) as never });
    expect(() => broken.collection()).toThrow(/collection function did not return a mongodb Collection/);
  });

  it('names the bad option', () => {
    bad({ name: '' }, 'name', /non-empty string/);
    bad({ name: 'has space' }, 'name', /letters, digits/);
    bad({ collection: 'purchases' }, 'collection', /Collection or a function/);
    bad({ batchSize: 0 }, 'batchSize', /integer >= 1, got 0/);
    bad({ batchSize: 2.5 }, 'batchSize', /integer >= 1/);
    bad(
      { batchSize: 100, maxBufferedDocuments: 50 },
      'maxBufferedDocuments',
      /must be >= batchSize \(100\), got 50/,
    );
    bad({ writeMode: 'insert' }, 'writeMode', /"replace" or "merge"/);
    bad({ retry: { initialBackoffMs: -1 } }, 'retry.initialBackoffMs', />= 1/);
    bad(
      { retry: { initialBackoffMs: 500, maxBackoffMs: 100 } },
      'retry.maxBackoffMs',
      /retry.initialBackoffMs \(500\)/,
    );
    bad({ retry: { maxRetryTimeMs: 0 } }, 'retry.maxRetryTimeMs', /or Infinity/);
    bad({ indexes: [{ key: {} }] }, 'indexes[0].key', /non-empty object/);
    bad({ indexes: 'purchaseDate' }, 'indexes', /array/);
    bad({ id: 'offset' }, 'id', /must be a function, got string/);
    bad({ document: 42 }, 'document', /must be a function/);
    bad({ refuse: true }, 'refuse', /must be a function/);
    bad({ metricsRegistry: {} }, 'metricsRegistry', /prom-client Registry/);
  });

  it('accepts a full valid configuration', () => {
    const s = MongoSink.supplier<string, { a: number }>({
      name: 'full',
      collection,
      batchSize: 10,
      maxBufferedDocuments: 10,
      writeMode: 'merge',
      retry: { initialBackoffMs: 1, maxBackoffMs: 1, maxRetryTimeMs: 1000 },
      indexes: [{ key: { a: 1 }, name: 'a_1' }],
      refuse: () => null,
      metricsRegistry: new Registry(),
    });
    expect(s.storeName).toBe('full-mongodb-sink');
    expect(s.stores()[0].loggingEnabled).toBe(false);
  });
});
