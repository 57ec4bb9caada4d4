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

/** First byte of the binary form (never the first byte of a JSON text). */
export const CUSTOMER_REWARDS_BINARY_V1 = 0x01;
/** Length of the binary form: the version byte and two IEEE-754 doubles, big-endian. */
export const CUSTOMER_REWARDS_BINARY_LENGTH = 17;

function invalid(topic: string, what: string): SerializationError {
  return new SerializationError(`CustomerRewards on topic "${topic}" is invalid: ${what}`);
}

/** The value checked: a whole `totalRewardPoints` >= 0 and a whole `lastPurchaseDate`. */
function checked(topic: string, total: unknown, last: unknown): CustomerRewards {
  if (!Number.isSafeInteger(total) || (total as number) < 0)
    throw invalid(topic, 'totalRewardPoints must be a whole number >= 0');
  if (!Number.isSafeInteger(last)) throw invalid(topic, 'lastPurchaseDate must be an ISO-8601 date');
  return { totalRewardPoints: total as number, lastPurchaseDate: last as number };
}

/** Reads the JSON form (what the store held before the binary form; see {@link customerRewardsSerde}). */
function fromJson(topic: string, data: Buffer): CustomerRewards {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString('utf8'));
  } catch {
    throw new SerializationError(`CustomerRewards on topic "${topic}" is not valid JSON`);
  }
  const o = parsed as { totalRewardPoints?: unknown; lastPurchaseDate?: unknown } | null;
  if (!o || typeof o !== 'object')
    throw new SerializationError(`CustomerRewards on topic "${topic}" must be a JSON object`);
  const date = o.lastPurchaseDate;
  // The form the JSON serde wrote is read without a Date; any other string as Date.parse reads it.
  const last = typeof date === 'string' ? (parseIsoInstant(date) ?? Date.parse(date)) : date;
  return checked(topic, o.totalRewardPoints, last);
}

/**
 * The JSON form, `{"totalRewardPoints":<n>,"lastPurchaseDate":"<ISO-8601>"}` (the date as ISO-8601,
 * never as a 13-digit epoch a card-number scan could mistake): what the store held before the
 * binary form, still read.
 */
export function customerRewardsJson(v: CustomerRewards): string {
  return `{"totalRewardPoints":${v.totalRewardPoints},"lastPurchaseDate":"${formatIsoInstant(v.lastPurchaseDate)}"}`;
}

const serializer: Serializer<CustomerRewards> = {
  serialize: (topic, data) => {
    if (data == null) return null;
    const date = data.lastPurchaseDate as unknown;
    const v = checked(
      topic,
      data.totalRewardPoints,
      typeof date === 'string' ? (parseIsoInstant(date) ?? Date.parse(date)) : date,
    );
    const out = Buffer.allocUnsafe(CUSTOMER_REWARDS_BINARY_LENGTH);
    out[0] = CUSTOMER_REWARDS_BINARY_V1;
    out.writeDoubleBE(v.totalRewardPoints, 1);
    out.writeDoubleBE(v.lastPurchaseDate, 9);
    return out;
  },
};
const deserializer: Deserializer<CustomerRewards> = {
  deserialize: (topic, data) => {
    if (data == null) return null;
    if (data.length > 0 && data[0] === CUSTOMER_REWARDS_BINARY_V1) {
      if (data.length !== CUSTOMER_REWARDS_BINARY_LENGTH)
        throw invalid(topic, `binary form of ${data.length} bytes, not ${CUSTOMER_REWARDS_BINARY_LENGTH}`);
      return checked(topic, data.readDoubleBE(1), data.readDoubleBE(9));
    }
    return fromJson(topic, data);
  },
};

/**
 * Serde of {@link CustomerRewards}, the values of `rewardsPointsStore` and its changelog. Writes 17
 * bytes: `0x01`, then `totalRewardPoints` and `lastPurchaseDate` (epoch ms) as big-endian IEEE-754
 * doubles (exact for safe integers). No JSON text, date string or `Date` per record: the store is
 * read and written once per purchase. Reads that form and the JSON form the service wrote before
 * (`{"totalRewardPoints":..,"lastPurchaseDate":"<ISO-8601>"}`, so a changelog written by an
 * earlier version restores). The binary form never holds more than 7 ASCII digits in a row (the
 * first byte of each double, the sign and exponent of a whole number, is never a digit, a space or
 * a dash), so a card-number scan of the changelog cannot mistake it for one.
 */
export const customerRewardsSerde: Serde<CustomerRewards> = {
  serializer: () => serializer,
  deserializer: () => deserializer,
};
