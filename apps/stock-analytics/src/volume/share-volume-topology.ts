import {
  GmartSerdes,
  type ShareVolume,
  type StockTransaction,
  shareVolumeOf,
  sumShareVolumes,
} from '@gmart/gmart';
import {
  Grouped,
  KeyValue,
  type KStream,
  type KTable,
  Materialized,
  Named,
  Produced,
  Serdes,
} from '@gmart/streams';
import {
  FixedSizePriorityQueue,
  type IndustryTop,
  fixedSizePriorityQueueSerde,
  industryTopSerde,
} from './fixed-size-priority-queue';

/** Store of the share volume per symbol (`GET /stocks/:symbol/volume`). */
export const SHARE_VOLUME_STORE = 'share-volume-store';
/** Store of the top symbols per industry (`GET /industries/:industry/top`). */
export const INDUSTRY_TOP_STORE = 'industry-top-store';

/** Topics of the share-volume part. */
export interface ShareVolumeTopics {
  /** Share volume per symbol, every update (`share-volume`). */
  readonly SHARE_VOLUME: string;
  /** Top 5 symbols by volume per industry, every update (`stock-volume-by-industry`). */
  readonly STOCK_VOLUME_BY_INDUSTRY: string;
}

/**
 * The seed's chapter 5 share volume: `mapValues(ShareVolume.newBuilder(st))` ->
 * `groupByKey()` -> `reduce(ShareVolume::sum)` (a KTable in `share-volume-store`, its updates to
 * `share-volume`; `transactions` must be keyed by symbol, as `stock-transactions` is: the seed's
 * `groupBy(symbol)` would repartition every trade to the partition it is already in), then that table `groupBy(industry)` -> `aggregate(FixedSizePriorityQueue, add,
 * remove)` (in `industry-top-store`; a symbol moving to another industry is subtracted from the old
 * one and added to the new one) -> top 5 -> `stock-volume-by-industry`.
 */
export function addShareVolume(
  transactions: KStream<string, StockTransaction>,
  topics: ShareVolumeTopics,
): { shareVolume: KTable<string, ShareVolume>; industryTop: KTable<string, FixedSizePriorityQueue> } {
  const shareVolumeSerde = GmartSerdes.ShareVolume({ validateOnSerialize: false });
  const shareVolume = transactions
    .mapValues((t: StockTransaction) => shareVolumeOf(t), Named.as('share-volume-of'))
    // The trades are keyed by symbol already (`stock-transactions`' contract, as the performance
    // processor reads them too): grouped by that key, without the seed's repartition by symbol.
    .groupByKey(Grouped.with(Serdes.String(), shareVolumeSerde))
    .reduce(
      sumShareVolumes,
      Materialized.as<string, ShareVolume>(SHARE_VOLUME_STORE)
        .withKeySerde(Serdes.String())
        .withValueSerde(shareVolumeSerde),
    );
  shareVolume.toStream().to(topics.SHARE_VOLUME, Produced.with(Serdes.String(), shareVolumeSerde));

  const industryTop = shareVolume
    .groupBy(
      (_symbol: string, v: ShareVolume) => KeyValue.pair(v.industry, v),
      Grouped.with(Serdes.String(), shareVolumeSerde).withName('by-industry'),
    )
    .aggregate(
      () => FixedSizePriorityQueue.empty(),
      (_industry: string, v: ShareVolume, agg: FixedSizePriorityQueue) => agg.add(v),
      (_industry: string, v: ShareVolume, agg: FixedSizePriorityQueue) => agg.remove(v),
      Materialized.as<string, FixedSizePriorityQueue>(INDUSTRY_TOP_STORE)
        .withKeySerde(Serdes.String())
        .withValueSerde(fixedSizePriorityQueueSerde()),
    );
  industryTop
    .toStream()
    .mapValues((q: FixedSizePriorityQueue | null, industry: string): IndustryTop | null =>
      q === null ? null : { industry, top: q.top() },
    )
    .to(topics.STOCK_VOLUME_BY_INDUSTRY, Produced.with(Serdes.String(), industryTopSerde()));
  return { shareVolume, industryTop };
}
