/**
 * `@gmart/storage`: the G-Mart storage service (`purchases` -> MongoDB `purchases` over $5.00 keyed
 * by purchase date, `security_audit` for employee 000000, card numbers refused to the dead-letter
 * topic, `GET /purchases`).
 *
 * @packageDocumentation
 */
export { storageConfig, storageDatabase, type StorageConfig } from './storage.config';
export {
  buildStorageTopology,
  type StorageTopologyOptions,
  SUSPECT_EMPLOYEE,
  MIN_STORED_PRICE,
} from './storage-topology';
export { refusedFieldOf, RefusedPurchaseProcessor, CARD_NUMBER_REFUSED } from './card-number-guard';
export { purchaseId, purchaseDocument, securityAuditDocument } from './purchase-documents';
export {
  parsePurchasesQuery,
  purchasesFilter,
  type PurchasesQuery,
  MAX_PAGE_SIZE,
  DEFAULT_PAGE_SIZE,
} from './purchases-query';
export { PurchasesController, type PurchaseView, type PurchasesPage } from './purchases.controller';
export { StorageMongo } from './storage-mongo';
export { StorageService } from './storage.service';
export { StorageModule } from './storage.module';
