import { GmartSerdes } from '@gmart/gmart';
import { Serdes, Topology } from '@gmart/streams';
import { type StockPerformanceSettings, StockPerformanceProcessor } from './stock-performance-processor';
import { STOCK_PERFORMANCE_STORE, stockPerformanceStoreBuilder } from './stock-performance-store';

/** The seed's 2% threshold. */
export const DEFAULT_DIFFERENTIAL_THRESHOLD = 0.02;
/** The seed's 10 s punctuation interval. */
export const DEFAULT_PUNCTUATE_INTERVAL_MS = 10_000;

/** Where the stock-performance nodes read and write. */
export interface StockPerformanceOptions extends Partial<Omit<StockPerformanceSettings, 'storeName'>> {
  /** Topic of the results (`stock-performance`). */
  readonly outputTopic: string;
  /**
   * Source node to hang the processor on. Absent: a source `stocks-source` reading
   * `inputTopic` is added (the seed's standalone topology). Present: the node that already reads
   * the transactions (a topic feeds only one source node), e.g. the DSL stream's source.
   */
  readonly parentName?: string;
  /** Topic of the stock transactions, keyed by symbol (needed without `parentName`). */
  readonly inputTopic?: string;
}

/**
 * Adds the seed's stock-performance application to `topology` with the Processor API:
 * `addSource("stocks-source")` -> `addProcessor("stocks-processor")` with
 * `addStateStore(stock-performance-store)` -> `addSink("stocks-sink", outputTopic)`.
 */
export function addStockPerformance(topology: Topology, options: StockPerformanceOptions): Topology {
  let parent = options.parentName;
  if (!parent) {
    if (!options.inputTopic) throw new Error('addStockPerformance: inputTopic or parentName is required');
    parent = 'stocks-source';
    topology.addSource({
      name: parent,
      topics: [options.inputTopic],
      keyDeserializer: Serdes.String().deserializer(),
      valueDeserializer: GmartSerdes.StockTransaction().deserializer(),
    });
  }
  const settings: StockPerformanceSettings = {
    storeName: STOCK_PERFORMANCE_STORE,
    differentialThreshold: options.differentialThreshold ?? DEFAULT_DIFFERENTIAL_THRESHOLD,
    punctuateIntervalMs: options.punctuateIntervalMs ?? DEFAULT_PUNCTUATE_INTERVAL_MS,
    ...(options.onPunctuate ? { onPunctuate: options.onPunctuate } : {}),
  };
  return topology
    .addProcessor('stocks-processor', () => new StockPerformanceProcessor(settings), parent)
    .addStateStore(stockPerformanceStoreBuilder(), 'stocks-processor')
    .addSink(
      'stocks-sink',
      options.outputTopic,
      Serdes.String().serializer(),
      GmartSerdes.StockPerformance({ validateOnSerialize: false }).serializer(),
      undefined,
      'stocks-processor',
    );
}

/** The seed's stock-performance topology on its own: `inputTopic` -> processor + store -> `outputTopic`. */
export function buildStockPerformanceTopology(
  options: StockPerformanceOptions & { readonly inputTopic: string },
): Topology {
  return addStockPerformance(new Topology(), { ...options, parentName: undefined });
}
