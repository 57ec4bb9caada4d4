import { ConfigError } from '@gmart/nest-streams';
import { couponJoinConfig } from '../src';

const env = { KAFKA_BROKERS: 'localhost:9092' };

describe('coupon-join configuration', () => {
  it("defaults to the seed's inner join over 20 minutes with a one-minute grace", () => {
    const c = couponJoinConfig.load(env);
    expect(c.applicationId).toBe('gmart-coupon-join');
    expect(c.httpPort).toBe(8085);
    expect(c.topics).toEqual({
      PURCHASES: 'purchases',
      COFFEE: 'coffee',
      ELECTRONICS: 'electronics',
      COUPONS: 'coupons',
    });
    expect(c.extra.JOIN_MODE).toBe('inner');
    expect(c.extra.JOIN_WINDOW_MS).toBe(1_200_000);
    expect(c.extra.JOIN_GRACE_MS).toBe(60_000);
    expect(c.extra.COUPON_HISTORY_LIMIT).toBe(50);
    // Coupons are money-like: exactly-once unless the environment says otherwise.
    expect(c.processingGuarantee).toBe('exactly_once_v2');
    expect(couponJoinConfig.load({ ...env, PROCESSING_GUARANTEE: 'at_least_once' }).processingGuarantee).toBe(
      'at_least_once',
    );
  });

  it('reads the mode, window, grace and topics from the environment', () => {
    const c = couponJoinConfig.load({
      ...env,
      JOIN_MODE: 'OUTER',
      JOIN_GRACE_MS: '0',
      JOIN_WINDOW_MS: '600000',
      TOPIC_COUPONS: 'coupons-v2',
    });
    expect(c.extra.JOIN_MODE).toBe('outer');
    expect(c.extra.JOIN_GRACE_MS).toBe(0);
    expect(c.extra.JOIN_WINDOW_MS).toBe(600_000);
    expect(c.topics.COUPONS).toBe('coupons-v2');
  });

  it.each([
    ['JOIN_MODE', 'full'],
    ['JOIN_GRACE_MS', '-1'],
    ['JOIN_GRACE_MS', 'soon'],
    ['JOIN_WINDOW_MS', '10'],
    ['COUPON_HISTORY_LIMIT', '0'],
    ['APPLICATION_SERVER', 'http://x:1'],
  ])('rejects %s=%s with an error naming it', (name, value) => {
    expect(() => couponJoinConfig.load({ ...env, [name]: value })).toThrow(ConfigError);
    expect(() => couponJoinConfig.load({ ...env, [name]: value })).toThrow(new RegExp(name));
  });

  it('requires KAFKA_BROKERS', () => {
    expect(() => couponJoinConfig.load({})).toThrow(/KAFKA_BROKERS/);
  });
});
