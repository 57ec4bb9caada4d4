import { type ConfigOf, defineServiceConfig, Env } from '@gmart/nest-streams';

/**
 * Configuration of the masking service: the common streams variables (`KAFKA_BROKERS`,
 * `APPLICATION_ID` = `gmart-masking`, `HTTP_PORT` = 8081, `HTTP_HOST`, `DLQ_TOPIC`, ...), its
 * topics `TOPIC_TRANSACTIONS` (default `transactions`) and `TOPIC_PURCHASES` (default
 * `purchases`), and the purchase-date window: `PURCHASE_DATES_FROM` (earliest accepted date,
 * ISO-8601, default `2000-01-01T00:00:00Z`) and `PURCHASE_DATES_MAX_AHEAD_MS` (how far ahead of
 * the clock a date may be, default one day).
 */
export const maskingConfig = defineServiceConfig({
  service: 'masking',
  topics: { TRANSACTIONS: 'transactions', PURCHASES: 'purchases' },
  variables: {
    PURCHASE_DATES_FROM: Env.string('Earliest purchase date accepted (ISO-8601)', '2000-01-01T00:00:00Z')
      .refine(
        (v) => /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v)),
        'must be an ISO-8601 date or date-time',
      )
      .transform((v) => Date.parse(v)),
    PURCHASE_DATES_MAX_AHEAD_MS: Env.int('How far ahead of the clock a purchase date may be (ms)', {
      min: 0,
      max: 366 * 24 * 3600 * 1000,
      fallback: 24 * 3600 * 1000,
    }),
  },
});

/** The loaded masking configuration. */
export type MaskingConfig = ConfigOf<typeof maskingConfig>;
