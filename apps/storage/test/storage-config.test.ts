import { ConfigError } from '@gmart/nest-streams';
import { storageConfig, storageDatabase } from '../src';

describe('storage configuration', () => {
  const load = (env: Record<string, string>) => {
    try {
      storageConfig.load(env);
    } catch (e) {
      return e as ConfigError;
    }
    throw new Error('expected a ConfigError');
  };

  it('has the documented defaults', () => {
    const c = storageConfig.load({
      KAFKA_BROKERS: 'localhost:9092',
      MONGODB_URI: 'mongodb://127.0.0.1:27017',
    });
    expect(c.applicationId).toBe('gmart-storage');
    expect(c.httpPort).toBe(8084);
    expect(c.topics.PURCHASES).toBe('purchases');
    expect(c.dlqTopic).toBe('gmart-storage-dlq');
    expect(c.extra).toEqual({
      MONGODB_URI: 'mongodb://127.0.0.1:27017',
      MONGODB_PURCHASES_COLLECTION: 'purchases',
      MONGODB_SECURITY_COLLECTION: 'security_audit',
      MONGODB_BATCH_SIZE: 1000,
      MONGODB_UNAVAILABLE_BUDGET_MS: 120000,
    });
    expect(storageConfig.requiredVariables().sort()).toEqual(['KAFKA_BROKERS', 'MONGODB_URI']);
  });

  it("uses MONGODB_URI's database when MONGODB_DATABASE is unset, as the driver does", () => {
    const db = (env: Record<string, string>) =>
      storageDatabase(storageConfig.load({ KAFKA_BROKERS: 'localhost:9092', ...env }).extra);
    expect(db({ MONGODB_URI: 'mongodb://127.0.0.1:27017' })).toBe('gmart');
    expect(db({ MONGODB_URI: 'mongodb://127.0.0.1:27017/' })).toBe('gmart');
    expect(db({ MONGODB_URI: 'mongodb://u:p@h1:1,h2:2/shop?replicaSet=rs0' })).toBe('shop');
    expect(db({ MONGODB_URI: 'mongodb+srv://cluster.example.com/sales%2D1?retryWrites=true' })).toBe(
      'sales-1',
    );
    expect(db({ MONGODB_URI: 'mongodb://h/shop', MONGODB_DATABASE: 'audit' })).toBe('audit');
  });

  it('names a missing or bad MongoDB variable without echoing its value', () => {
    const missing = load({ KAFKA_BROKERS: 'localhost:9092' });
    expect(missing).toBeInstanceOf(ConfigError);
    expect(missing.variables).toContain('MONGODB_URI');
    const bad = load({
      KAFKA_BROKERS: 'localhost:9092',
      MONGODB_URI: 'http://secret-host',
      MONGODB_BATCH_SIZE: '0',
    });
    expect(bad.variables.sort()).toEqual(['MONGODB_BATCH_SIZE', 'MONGODB_URI']);
    expect(bad.message).toMatch(/MONGODB_URI.*mongodb:\/\/ or mongodb\+srv:\/\//);
    expect(bad.message).not.toMatch(/secret-host/);
  });
});
