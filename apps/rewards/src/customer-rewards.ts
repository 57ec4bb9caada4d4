import { type Deserializer, SerializationError, type Serde, type Serializer } from '@gmart/streams';

/**
 * What `rewardsPointsStore` keeps per customer id: the running reward total (the book stores
 * only this integer) and the event time of the latest purchase, for `daysFromLastPurchase`.
 */
export interface CustomerRewards {
  readonly totalRewardPoints: number;
  /** Epoch milliseconds of the customer's latest purchase. */
  readonly lastPurchaseDate: number;
}

function check(topic: string, v: unknown): CustomerRewards {
  const o = v as { totalRewardPoints?: unknown; lastPurchaseDate?: unknown } | null;
  if (!o || typeof o !== 'object')
    throw new SerializationError(`CustomerRewards on topic "${topic}" must be a JSON object`);
  if (!Number.isSafeInteger(o.totalRewardPoints) || (o.totalRewardPoints as number) < 0) {
    throw new SerializationError(
      `CustomerRewards on topic "${topic}" is invalid: totalRewardPoints must be a whole number >= 0`,
    );
  }
  const last = typeof o.lastPurchaseDate === 'string' ? Date.parse(o.lastPurchaseDate) : o.lastPurchaseDate;
  if (!Number.isSafeInteger(last)) {
    throw new SerializationError(
      `CustomerRewards on topic "${topic}" is invalid: lastPurchaseDate must be an ISO-8601 date`,
    );
  }
  return { totalRewardPoints: o.totalRewardPoints as number, lastPurchaseDate: last as number };
}

/** JSON form: the date as ISO-8601, never as a 13-digit epoch that a card-number scan could mistake. */
function toJson(v: CustomerRewards): { totalRewardPoints: number; lastPurchaseDate: string } {
  return {
    totalRewardPoints: v.totalRewardPoints,
    lastPurchaseDate: new Date(v.lastPurchaseDate).toISOString(),
  };
}

const serializer: Serializer<CustomerRewards> = {
  serialize: (topic, data) =>
    data == null ? null : Buffer.from(JSON.stringify(toJson(check(topic, data))), 'utf8'),
};
const deserializer: Deserializer<CustomerRewards> = {
  deserialize: (topic, data) => {
    if (data == null) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString('utf8'));
    } catch {
      throw new SerializationError(`CustomerRewards on topic "${topic}" is not valid JSON`);
    }
    return check(topic, parsed);
  },
};

/** JSON serde of {@link CustomerRewards} (changelog values of `rewardsPointsStore`). */
export const customerRewardsSerde: Serde<CustomerRewards> = {
  serializer: () => serializer,
  deserializer: () => deserializer,
};
