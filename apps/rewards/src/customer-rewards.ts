import { formatIsoInstant, parseIsoInstant } from '@gmart/gmart';
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
  const date = o.lastPurchaseDate;
  // The form this serde writes is read without a Date; any other string as Date.parse reads it.
  const last = typeof date === 'string' ? (parseIsoInstant(date) ?? Date.parse(date)) : date;
  if (!Number.isSafeInteger(last)) {
    throw new SerializationError(
      `CustomerRewards on topic "${topic}" is invalid: lastPurchaseDate must be an ISO-8601 date`,
    );
  }
  return { totalRewardPoints: o.totalRewardPoints as number, lastPurchaseDate: last as number };
}

/**
 * JSON form, `{"totalRewardPoints":<n>,"lastPurchaseDate":"<ISO-8601>"}`: the date as ISO-8601,
 * never as a 13-digit epoch that a card-number scan could mistake. Written directly: the checked
 * total is a whole number and the instant's ISO form needs no escaping, so this is exactly
 * `JSON.stringify` of that object.
 */
function toJson(v: CustomerRewards): string {
  return `{"totalRewardPoints":${v.totalRewardPoints},"lastPurchaseDate":"${formatIsoInstant(v.lastPurchaseDate)}"}`;
}

const serializer: Serializer<CustomerRewards> = {
  serialize: (topic, data) => (data == null ? null : Buffer.from(toJson(check(topic, data)), 'utf8')),
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
