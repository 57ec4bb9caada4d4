import { type KeyValueStore, Serdes, type StoreBuilder, Stores } from '@gmart/streams';
import { type CouponHistory, couponHistorySerde } from './coupon-history';
import { type WriteBehindKeyValueStore, writeBehindStoreBuilder } from './write-behind-store';

/** Name of the coupons store; also names its changelog `<applicationId>-couponsStore-changelog`. */
export const COUPONS_STORE_NAME = 'couponsStore';

/** The coupons store as processors and queries see it: customer id -> coupons, latest first. */
export type CouponsStore = KeyValueStore<string, CouponHistory>;

/**
 * Builder of the coupons store: persistent (LMDB), changelog-backed (compacted), so a customer's
 * coupons survive restarts and move with their partition to another instance. Cached, as Kafka
 * Streams' DSL stores: a customer's updates between two commits reach the changelog once. Above
 * the cache, a customer's latest history since the last commit is kept as an object and written
 * down (serialized) once, at the commit ({@link WriteBehindKeyValueStore}): a customer gets
 * several coupons between two commits, and each history is the whole list.
 */
export function couponsStoreBuilder(): StoreBuilder<WriteBehindKeyValueStore<CouponHistory>> {
  return writeBehindStoreBuilder(
    Stores.keyValueStoreBuilder(
      Stores.persistentKeyValueStore(COUPONS_STORE_NAME),
      Serdes.String(),
      couponHistorySerde,
    ).withCachingEnabled(),
  );
}
