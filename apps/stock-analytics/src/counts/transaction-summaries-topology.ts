import { type Client, type Company, GmartSerdes, type TransactionSummary } from '@gmart/gmart';
import {
  Consumed,
  KeyValue,
  type KTable,
  Materialized,
  Named,
  Produced,
  Serdes,
  type StreamsBuilder,
  type Windowed,
} from '@gmart/streams';
import { splitSummaryKey } from './transaction-count';

/** Stores of the two GlobalKTables (every instance holds all of each). */
export const REFERENCE_STORES = Object.freeze({
  companies: 'companies-store',
  clients: 'clients-store',
});

/** Industry of a summary whose symbol is not (yet) in `companies`. */
export const UNKNOWN_INDUSTRY = 'unknown';

/** Topics of the enrichment. */
export interface TransactionSummaryTopics {
  /** Companies keyed by symbol (compacted). */
  readonly COMPANIES: string;
  /** Clients keyed by customer id (compacted). */
  readonly CLIENTS: string;
  /** Enriched session counts (`transaction-summaries`). */
  readonly TRANSACTION_SUMMARIES: string;
}

/**
 * The seed's chapter 5 GlobalKTable enrichment: the session counts (the table
 * {@link addTransactionCounts} returns) as a stream of `TransactionSummary` (the count in
 * `summaryCount`), `leftJoin`ed with the `companies` GlobalKTable by symbol (company name and
 * industry) and then with the `clients` GlobalKTable by customer id (customer name) ->
 * `transaction-summaries`, keyed by `customerId|symbol`. A name stays `null` (and the industry
 * {@link UNKNOWN_INDUSTRY}) while its reference record is missing. The deletes of sessions merged
 * into a larger one (`null` counts) are left out: the seed's mapper has no summary for them.
 */
export function addTransactionSummaries(
  builder: StreamsBuilder,
  sessionCounts: KTable<Windowed<string>, number>,
  topics: TransactionSummaryTopics,
): void {
  const companies = builder.globalTable(
    topics.COMPANIES,
    Consumed.with(Serdes.String(), GmartSerdes.Company()).withName('companies'),
    Materialized.as<string, Company>(REFERENCE_STORES.companies)
      .withKeySerde(Serdes.String())
      .withValueSerde(GmartSerdes.Company()),
  );
  const clients = builder.globalTable(
    topics.CLIENTS,
    Consumed.with(Serdes.String(), GmartSerdes.Client()).withName('clients'),
    Materialized.as<string, Client>(REFERENCE_STORES.clients)
      .withKeySerde(Serdes.String())
      .withValueSerde(GmartSerdes.Client()),
  );
  sessionCounts
    .toStream(Named.as('session-counts-to-summaries'))
    .filter((_w: Windowed<string>, count: number | null) => count !== null, Named.as('live-sessions'))
    .map(
      (w: Windowed<string>, count: number | null) =>
        KeyValue.pair<string, TransactionSummary>(w.key(), {
          ...splitSummaryKey(w.key()),
          industry: UNKNOWN_INDUSTRY,
          summaryCount: count!,
          customerName: null,
          companyName: null,
        }),
      Named.as('transaction-summary-of-count'),
    )
    .leftJoin(
      companies,
      (_key: string, s: TransactionSummary) => s.stockTicker,
      (s: TransactionSummary, company: Company | null): TransactionSummary =>
        company ? { ...s, companyName: company.name, industry: company.industry } : s,
      Named.as('with-company-name'),
    )
    .leftJoin(
      clients,
      (_key: string, s: TransactionSummary) => s.customerId,
      (s: TransactionSummary, client: Client | null): TransactionSummary =>
        client ? { ...s, customerName: client.name } : s,
      Named.as('with-customer-name'),
    )
    .to(
      topics.TRANSACTION_SUMMARIES,
      Produced.with(Serdes.String(), GmartSerdes.TransactionSummary({ validateOnSerialize: false })),
    );
}
