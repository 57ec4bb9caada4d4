import { Binary, Decimal128, Long, ObjectId, Timestamp } from 'bson';

/**
 * A canonical string for a BSON value, equal for values MongoDB treats as equal in an index
 * (int32 1, double 1.0 and Long 1 share a key; ObjectIds compare by bytes; objects by field order).
 * Used for the O(1) `_id` map and unique-index hash maps.
 */
export function valueKey(value: unknown): string {
  if (value === null || value === undefined) return 'z';
  switch (typeof value) {
    case 'string':
      return 's' + value;
    case 'number':
      return 'n' + (Object.is(value, -0) ? '0' : String(value));
    case 'bigint':
      return 'n' + value.toString();
    case 'boolean':
      return value ? 'bt' : 'bf';
    default:
      break;
  }
  if (value instanceof ObjectId) return 'o' + value.toHexString();
  if (value instanceof Date) return 'd' + value.getTime();
  if (value instanceof Long) {
    const n = value.toNumber();
    return Number.isSafeInteger(n) ? 'n' + n : 'n' + value.toString();
  }
  if (value instanceof Decimal128) {
    const n = Number(value.toString());
    return Number.isFinite(n) && String(n) === value.toString() ? 'n' + n : 'm' + value.toString();
  }
  if (value instanceof Timestamp) return 't' + value.toString();
  if (value instanceof Binary) return 'x' + value.sub_type + ':' + value.toString('base64');
  if (value instanceof RegExp) return 'r' + value.source + '/' + value.flags;
  if (Array.isArray(value)) return 'a[' + value.map(valueKey).join(',') + ']';
  if (typeof value === 'object') {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      parts.push(JSON.stringify(k) + ':' + valueKey(v));
    }
    return '{' + parts.join(',') + '}';
  }
  return 'u' + String(value);
}

/** Shortens a value for an error message (`dup key: { name: "x" }`). */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof ObjectId) return `ObjectId('${value.toHexString()}')`;
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (Array.isArray(value)) return '[ ' + value.map(describeValue).join(', ') + ' ]';
  if (typeof value === 'object' && value.constructor === Object) {
    return (
      '{ ' +
      Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `${k}: ${describeValue(v)}`)
        .join(', ') +
      ' }'
    );
  }
  return String(value);
}
