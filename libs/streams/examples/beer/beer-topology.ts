import { Serdes, Topology, UsePreviousTimeOnInvalidTimestamp } from '../../src';
import { beerPurchaseSerde } from './beer-purchase';
import { BeerPurchaseProcessor } from './beer-purchase-processor';

/** Topics of the beer example (the seed's names). */
export const BEER_TOPICS = Object.freeze({
  purchases: 'pops-hops-purchases',
  domestic: 'domestic-sales',
  international: 'international-sales',
});

/**
 * The seed's chapter 6 beer topology, built node by node with the Processor API:
 * `addSource` (offset reset LATEST, `UsePreviousTimeOnInvalidTimestamp`) ->
 * `addProcessor(purchase-processor)` -> `addSink(international-sales-sink)` and
 * `addSink(domestic-sales-sink)`.
 */
export function buildBeerTopology(topics = BEER_TOPICS): Topology {
  const purchaseSourceNodeName = 'beer-purchase-source';
  const purchaseProcessor = 'purchase-processor';
  const domesticSalesSink = 'domestic-beer-sales';
  const internationalSalesSink = 'international-beer-sales';
  const stringSerde = Serdes.String();
  const beerSerde = beerPurchaseSerde();
  return new Topology()
    .addSource({
      name: purchaseSourceNodeName,
      topics: [topics.purchases],
      offsetReset: 'latest',
      timestampExtractor: new UsePreviousTimeOnInvalidTimestamp(),
      keyDeserializer: stringSerde.deserializer(),
      valueDeserializer: beerSerde.deserializer(),
    })
    .addProcessor(
      purchaseProcessor,
      () => new BeerPurchaseProcessor(domesticSalesSink, internationalSalesSink),
      purchaseSourceNodeName,
    )
    .addSink(
      internationalSalesSink,
      topics.international,
      stringSerde.serializer(),
      beerSerde.serializer(),
      undefined,
      purchaseProcessor,
    )
    .addSink(
      domesticSalesSink,
      topics.domestic,
      stringSerde.serializer(),
      beerSerde.serializer(),
      undefined,
      purchaseProcessor,
    );
}
