import { GmartSerdes, type Purchase } from '@gmart/gmart';
import {
  Branched,
  Consumed,
  Logger,
  Named,
  Produced,
  Serdes,
  StreamsBuilder,
  Topology,
} from '@gmart/streams';
import { MongoSink } from '@gmart/streams-mongodb';
import type { Collection, Document } from 'mongodb';
import type { Registry } from 'prom-client';
import { RefusedPurchaseProcessor, refusedFieldOf } from './card-number-guard';
import { purchaseDocument, purchaseId, securityAuditDocument } from './purchase-documents';

/** The seed's suspect employee: the purchases they ring up are recorded for the fraud investigation. */
export const SUSPECT_EMPLOYEE = '000000';
/** Purchases at or under this price are not stored. */
export const MIN_STORED_PRICE = 5.0;

/** What the storage topology needs. */
export interface StorageTopologyOptions {
  readonly purchasesTopic: string;
  readonly deadLetterTopic: string;
  readonly purchases: Collection<Document> | (() => Collection<Document>);
  readonly securityAudit: Collection<Document> | (() => Collection<Document>);
  /** Documents per bulkWrite. Default 1000. */
  readonly batchSize?: number;
  readonly metricsRegistry?: Registry;
  readonly logger?: Logger;
}

/**
 * `purchases` (key read as bytes; a null value (tombstone) or an unparseable purchase goes to the
 * dead-letter topic with the reason, through the library's deserialization handler) ->
 * - a purchase still carrying a card number -> masked, to the dead-letter topic, never stored;
 * - `filter(price > 5.00)` -> `selectKey(purchaseDate)` -> MongoDB `purchases`;
 * - `filter(employeeId === '000000')` -> MongoDB `security_audit` (date, employee, item).
 *
 * Both sinks are idempotent (the `_id` is a hash of the purchase) and commit offsets only after
 * MongoDB acknowledged.
 */
export function buildStorageTopology(o: StorageTopologyOptions): Topology {
  const B = Serdes.Buffer();
  const builder = new StreamsBuilder();
  const common = { batchSize: o.batchSize, metricsRegistry: o.metricsRegistry, logger: o.logger };
  const branches = builder
    .stream(o.purchasesTopic, Consumed.with(B, GmartSerdes.Purchase({ nullValues: 'reject' })))
    .split(Named.as('card-guard-'))
    .branch((key, p) => refusedFieldOf(key, p) !== null, Branched.as('refused'))
    .defaultBranch(Branched.as('clean'));

  branches['card-guard-refused']
    .process(() => new RefusedPurchaseProcessor())
    .to(o.deadLetterTopic, Produced.with(B, GmartSerdes.Purchase()));

  const clean = branches['card-guard-clean'];
  clean
    .filter((_k, p) => p.price > MIN_STORED_PRICE, Named.as('price-over-5'))
    .selectKey((_k, p) => p.purchaseDate, Named.as('purchase-date-as-key'))
    .process(
      MongoSink.supplier<number, Purchase>({
        name: 'purchases',
        collection: o.purchases,
        id: purchaseId,
        document: purchaseDocument,
        indexes: [
          { key: { purchaseDate: 1 }, name: 'purchaseDate_1' },
          { key: { customerId: 1, purchaseDate: 1 }, name: 'customerId_1_purchaseDate_1' },
          { key: { storeId: 1 }, name: 'storeId_1' },
        ],
        ...common,
      }),
    );

  clean
    .filter((_k, p) => p.employeeId === SUSPECT_EMPLOYEE, Named.as('suspect-employee'))
    .process(
      MongoSink.supplier<Buffer | null, Purchase>({
        name: 'security-audit',
        collection: o.securityAudit,
        id: purchaseId,
        document: securityAuditDocument,
        indexes: [{ key: { employee: 1, date: 1 }, name: 'employee_1_date_1' }],
        ...common,
      }),
    );
  return builder.build();
}
