/**
 * `@gmart/gmart`: the G-Mart models (seed chapters 3-4) with validating JSON serdes, card-number
 * masking and detection, and a deterministic purchase generator.
 *
 * @packageDocumentation
 */
export { GmartError } from './errors/gmart-error';
export { DeserializationError, ModelSerializationError } from './errors/deserialization-error';

export {
  PURCHASE_LIMITS,
  PurchaseInputSchema,
  PurchaseSchema,
  purchaseToJson,
  type Purchase,
  type PurchaseJson,
} from './models/purchase';
export {
  PurchasePatternInputSchema,
  PurchasePatternSchema,
  purchasePatternOf,
  purchasePatternToJson,
  type PurchasePattern,
  type PurchasePatternJson,
} from './models/purchase-pattern';
export {
  RewardAccumulatorSchema,
  addRewardPoints,
  daysBetween,
  rewardAccumulatorOf,
  rewardPointsFor,
  type RewardAccumulator,
} from './models/reward-accumulator';
export {
  CorrelatedPurchaseInputSchema,
  CorrelatedPurchaseSchema,
  correlatePurchases,
  correlatedPurchaseToJson,
  type CorrelatedPurchase,
  type CorrelatedPurchaseJson,
  type CorrelatablePurchase,
  type CorrelatedPurchaseMaker,
} from './models/correlated-purchase';
export { roundToCents } from './models/fields';
export { formatIsoInstant, parseIsoInstant } from './models/iso-instant';
export {
  JSON_NUMBER_BOUND,
  jsonBytesStart,
  jsonStringBound,
  reserveJsonBytes,
  takeJsonBytes,
  writeAscii,
  writeJsonNumber,
  writeJsonString,
} from './models/json-bytes';
export {
  STOCK_LIMITS,
  StockTransactionInputSchema,
  StockTransactionSchema,
  stockTransactionToJson,
  type StockTransaction,
  type StockTransactionJson,
} from './models/stock-transaction';
export { StockTickerSchema, type StockTicker } from './models/stock-ticker';
export { CompanySchema, type Company } from './models/company';
export { ClientSchema, type Client } from './models/client';
export { ShareVolumeSchema, shareVolumeOf, sumShareVolumes, type ShareVolume } from './models/share-volume';
export {
  TransactionSummarySchema,
  transactionSummaryOf,
  transactionSummaryKey,
  type TransactionSummary,
} from './models/transaction-summary';
export {
  STOCK_PERFORMANCE_LOOKBACK,
  StockPerformanceSchema,
  emptyStockPerformance,
  updateStockPerformance,
  exceedsDifferential,
  type StockPerformance,
} from './models/stock-performance';

export type { Serde, Serializer, Deserializer, Headers } from '@gmart/streams';
export { validatingJsonSerde, type ModelSpec } from './serde/validating-json-serde';
export {
  GmartSerdes,
  type GmartSerdeFactory,
  type GmartSerdeOptions,
  type PurchaseSerdeOptions,
} from './serde/gmart-serdes';
export { ScannedPurchase, isoInstantAt, scanPurchase } from './models/scanned-purchase';
export { scanStockTransaction } from './models/scanned-stock-transaction';
export { scanningPurchaseSerde, type ReadPurchase } from './serde/scanning-purchase-serde';
export { purchasePatternBytesOf } from './models/scanned-purchase-pattern';
export {
  DEFAULT_PURCHASE_DATE_WINDOW,
  purchaseDateProblem,
  type PurchaseDateWindow,
} from './models/purchase-date-window';

export { isLuhnValid, luhnCheckDigit } from './cards/luhn';
export { maskCardNumber, FULLY_MASKED } from './cards/mask-card-number';
export { maskPurchase, cardNumberFieldOf } from './cards/mask-purchase';
export { maskCardNumbersInBytes, type MaskBytesOptions } from './cards/mask-card-numbers-in-bytes';
export { scanForCardNumbers, type CardNumberFinding } from './cards/scan-for-card-numbers';
export {
  findCardNumbers,
  containsCardNumber,
  type CardNumberMatch,
  type FindCardNumbersOptions,
} from './cards/find-card-numbers';
export { redact, redactBytes, cardNumberRedactor, type RedactOptions } from './cards/redact';
export { MIN_CARD_DIGITS, MAX_CARD_DIGITS, CARD_SEPARATORS } from './cards/card-number-format';

export { SeededRandom } from './generator/seeded-random';
export {
  generateCardNumber,
  formatCardNumber,
  type CardNumberStyle,
} from './generator/card-number-generator';
export {
  PurchaseGenerator,
  type Customer,
  type Store,
  type PurchaseGeneratorOptions,
} from './generator/purchase-generator';
export { DEPARTMENTS, SUSPECT_EMPLOYEE_ID, type DepartmentData } from './generator/reference-data';
export { StockGenerator, type StockGeneratorOptions } from './generator/stock-generator';
export { STOCK_COMPANIES } from './generator/stock-reference-data';
