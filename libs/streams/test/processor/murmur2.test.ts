import { defaultPartition, murmur2 } from '../../src/processor/internals/murmur2';
import {
  decodeSubscriptionInfo,
  encodeSubscriptionInfo,
} from '../../src/processor/internals/partition-assignor';

describe('the default partitioner matches the Java client', () => {
  it('murmur2 gives the Java client values', () => {
    // Values of org.apache.kafka.common.utils.Utils.murmur2 (the same as kafkajs' Java-compatible partitioner).
    expect(murmur2(Buffer.from('hello'))).toBe(2132663229);
    expect(murmur2(Buffer.from('abc'))).toBe(479470107);
    expect(murmur2(Buffer.from('key-12345'))).toBe(-952703915);
    expect(murmur2(Buffer.alloc(0))).toBe(275646681);
  });
  it('defaultPartition is toPositive(murmur2) % n', () => {
    expect(defaultPartition(Buffer.from('key-12345'), 4)).toBe((-952703915 & 0x7fffffff) % 4);
  });
  it('subscription info round-trips and ignores foreign userData', () => {
    expect(decodeSubscriptionInfo(encodeSubscriptionInfo({ applicationServer: 'h:1' }))).toEqual({
      applicationServer: 'h:1',
    });
    expect(decodeSubscriptionInfo(Buffer.from('gmart-streams:shutdown-application'))).toEqual({});
    expect(decodeSubscriptionInfo(Buffer.from('{bad'))).toEqual({});
    expect(decodeSubscriptionInfo(undefined)).toEqual({});
  });
});
