import { type CorrelatedPurchase, GmartSerdes, scanningPurchaseSerde } from '@gmart/gmart';
import {
  Consumed,
  JoinWindows,
  type KStream,
  Named,
  Produced,
  Serdes,
  StreamJoined,
  StreamsBuilder,
  Stores,
  type Topology,
  ValueFieldTimestampExtractor,
} from '@gmart/streams';
import type { JoinMode } from './coupon-join.config';
import { CouponRecorder } from './coupon-recorder';
import { COUPONS_STORE_NAME, couponsStoreBuilder } from './coupons-store';
import type { LocalCouponStores } from './local-coupon-stores';
import { joinPurchaseSerde, toJoinPurchase } from './join-purchase';
import { purchaseJoiner } from './purchase-joiner';
import { inDepartment, type ReadPurchase } from './read-purchase';

/** Topic names the coupon-join topology reads and writes. */
export interface CouponJoinTopics {
  /** Masked purchases (`purchases`). */
  readonly PURCHASES: string;
  /** Coffee purchases keyed by customer id (`coffee`). */
  readonly COFFEE: string;
  /** Electronics purchases keyed by customer id (`electronics`). */
  readonly ELECTRONICS: string;
  /** Join results keyed by customer id (`coupons`). */
  readonly COUPONS: string;
}

/** How the coupon join runs. */
export interface CouponJoinOptions {
  /** `inner` (`join`), `left` (`leftJoin`) or `outer` (`outerJoin`). */
  readonly mode: JoinMode;
  /** Greatest time difference of the two purchases, ms (the seed: 20 minutes). */
  readonly windowMs: number;
  /** Grace period of the join windows, ms. */
  readonly graceMs: number;
  /** Coupons kept per customer in the coupons store. */
  readonly historyLimit: number;
  /** Called with every join result as it goes to `coupons` (metrics). */
  readonly onCoupon?: (coupon: CorrelatedPurchase) => void;
}

/** The seed's settings: inner join, 20 minutes, and a one-minute grace period. */
export const SEED_COUPON_JOIN: CouponJoinOptions = {
  mode: 'inner',
  windowMs: 20 * 60_000,
  graceMs: 60_000,
  historyLimit: 50,
};

/** Name of the join (its processors, stores and repartition topics are named after it). */
export const COUPON_JOIN_NAME = 'coupon-join';

const isCoffee = (_key: string, p: ReadPurchase) => inDepartment(p, 'coffee');
const isElectronics = (_key: string, p: ReadPurchase) => inDepartment(p, 'electronics');

/**
 * The seed's coupon program (chapter 4): `purchases` (event time: `purchaseDate`) ->
 * `branch(coffee, electronics)` -> each branch `selectKey` by customer id, also written to `coffee` /
 * `electronics` -> windowed join of coffee with electronics (the library repartitions both sides
 * by the new key) with the seed's `PurchaseJoiner` -> the coupons store (for
 * `GET /coupons/:customerId`) -> `coupons`, keyed by customer id.
 *
 * `localStores`, when given, learns the coupons store of every task this instance runs.
 */
export function buildCouponJoinTopology(
  topics: CouponJoinTopics,
  options: CouponJoinOptions = SEED_COUPON_JOIN,
  localStores?: LocalCouponStores,
): Topology {
  const builder = new StreamsBuilder();
  builder.addStateStore(couponsStoreBuilder());
  // Purchases are validated when read (canonical JSON by a scan of its bytes, anything else parsed);
  // what goes to coffee/electronics is such a purchase unchanged (a scanned one as its very bytes).
  // A null value (tombstone) is bad input: dead-letter topic with the reason.
  const purchaseSerde = scanningPurchaseSerde();
  // Branched before the new key is taken: most purchases are neither coffee nor electronics, and
  // they are dropped without reading their customer id (the same records reach every sink).
  const branches = builder
    .stream(
      topics.PURCHASES,
      Consumed.with(Serdes.String(), purchaseSerde).withTimestampExtractor(
        new ValueFieldTimestampExtractor('purchaseDate'),
      ),
    )
    .branch(isCoffee, isElectronics) as [KStream<string, ReadPurchase>, KStream<string, ReadPurchase>];
  const byCustomer = (side: KStream<string, ReadPurchase>, name: string) =>
    side.selectKey((_key, purchase: ReadPurchase) => purchase.customerId, Named.as(`${name}-by-customer`));
  const coffee = byCustomer(branches[0], 'coffee');
  const electronics = byCustomer(branches[1], 'electronics');
  coffee.to(topics.COFFEE, Produced.with(Serdes.String(), purchaseSerde));
  electronics.to(topics.ELECTRONICS, Produced.with(Serdes.String(), purchaseSerde));
  // The join needs only what the joiner reads of each purchase: its repartition topics and window
  // stores (and their changelogs) carry that, in a compact form (joinPurchaseSerde).
  const coffeeSide = coffee.mapValues(toJoinPurchase, Named.as('coffee-join-side'));
  const electronicsSide = electronics.mapValues(toJoinPurchase, Named.as('electronics-join-side'));

  const windows = JoinWindows.ofTimeDifferenceAndGrace(options.windowMs, options.graceMs);
  // Both sides' window stores in memory: they hold only window + grace of coffee and electronics
  // purchases, and their changelogs restore them after a restart or a move.
  const sideStore = (side: string) =>
    Stores.inMemoryWindowStore(
      `${COUPON_JOIN_NAME}-${side}-store`,
      windows.size() + windows.gracePeriodMs(),
      windows.size(),
      true,
    );
  const joined = StreamJoined.with(Serdes.String(), joinPurchaseSerde, joinPurchaseSerde)
    .withName(COUPON_JOIN_NAME)
    .withStoreName(COUPON_JOIN_NAME)
    .withThisStoreSupplier(sideStore('coffee'))
    .withOtherStoreSupplier(sideStore('electronics'));
  let results: KStream<string, CorrelatedPurchase>;
  if (options.mode === 'inner') results = coffeeSide.join(electronicsSide, purchaseJoiner, windows, joined);
  else if (options.mode === 'left')
    results = coffeeSide.leftJoin(electronicsSide, purchaseJoiner, windows, joined);
  else results = coffeeSide.outerJoin(electronicsSide, purchaseJoiner, windows, joined);

  results
    .transformValues(
      () => new CouponRecorder(COUPONS_STORE_NAME, options.historyLimit, localStores, options.onCoupon),
      COUPONS_STORE_NAME,
    )
    // Join results are made by the joiner from validated purchases: no schema pass on the way out.
    .to(
      topics.COUPONS,
      Produced.with(Serdes.String(), GmartSerdes.CorrelatedPurchase({ validateOnSerialize: false })),
    );
  return builder.build();
}
