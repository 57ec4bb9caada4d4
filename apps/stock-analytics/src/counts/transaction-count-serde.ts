import {
  JSON_NUMBER_BOUND,
  jsonBytesStart,
  jsonStringBound,
  reserveJsonBytes,
  takeJsonBytes,
  writeAscii,
  writeJsonNumber,
  writeJsonString,
} from '@gmart/gmart';
import { type Serde, Serdes, type Serializer } from '@gmart/streams';
import type { TransactionCount } from './transaction-count';

/** Bytes beyond the two strings: field names and punctuation (67) and three numbers. */
const FIXED_BYTES = 67 + 3 * JSON_NUMBER_BOUND;

/**
 * A count's JSON text written straight into bytes: exactly what `Serdes.Json` writes for a
 * {@link TransactionCount} (`Buffer.from(JSON.stringify(c), 'utf8')` of its five fields in their
 * order, as {@link transactionCountOf} makes it), without the JSON text as a string nor a Buffer of
 * its own per count. A value whose fields are not of their types goes through JSON.stringify.
 */
export function transactionCountJsonBytes(c: TransactionCount): Buffer {
  const { customerId, stockTicker, windowStart, windowEnd, count } = c;
  if (
    typeof customerId !== 'string' ||
    typeof stockTicker !== 'string' ||
    typeof windowStart !== 'number' ||
    typeof windowEnd !== 'number' ||
    (count !== null && typeof count !== 'number')
  )
    return Buffer.from(JSON.stringify(c), 'utf8');
  const out = reserveJsonBytes(FIXED_BYTES + jsonStringBound(customerId) + jsonStringBound(stockTicker));
  let at = writeAscii(out, jsonBytesStart(), '{"customerId":');
  at = writeJsonString(out, at, customerId);
  at = writeAscii(out, at, ',"stockTicker":');
  at = writeJsonString(out, at, stockTicker);
  at = writeAscii(out, at, ',"windowStart":');
  at = writeJsonNumber(out, at, windowStart);
  at = writeAscii(out, at, ',"windowEnd":');
  at = writeJsonNumber(out, at, windowEnd);
  at = writeAscii(out, at, ',"count":');
  at = count === null ? writeAscii(out, at, 'null') : writeJsonNumber(out, at, count);
  out[at++] = 0x7d; // }
  return takeJsonBytes(at);
}

const serializer: Serializer<TransactionCount> = {
  serialize: (_topic, c) => (c === null || c === undefined ? null : transactionCountJsonBytes(c)),
};

/**
 * Serde of the `transaction-counts-*` topics: writes the bytes `Serdes.Json<TransactionCount>()`
 * writes ({@link transactionCountJsonBytes}) and reads them as it does.
 */
export function transactionCountSerde(): Serde<TransactionCount> {
  const json = Serdes.Json<TransactionCount>();
  return { serializer: () => serializer, deserializer: () => json.deserializer() };
}
