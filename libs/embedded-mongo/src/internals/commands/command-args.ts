import { commandError } from '../../errors/error-codes';
import { Doc, isPlainObject } from '../storage/document-paths';
import { validateNames } from '../storage/storage-engine';

/** The collection named by the command's first field (`{ find: 'orders' }`), validated. */
export function collectionName(command: Doc, name: string, db: string): string {
  const value = command[name];
  if (typeof value !== 'string') {
    throw commandError(
      'InvalidNamespace',
      `collection name has invalid type ${value === null ? 'null' : typeof value}`,
    );
  }
  validateNames(db, value);
  return value;
}

/** An optional object field. */
export function optionalDoc(command: Doc, field: string): Doc | undefined {
  const value = command[field];
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value))
    throw commandError('TypeMismatch', `'${field}' must be an object, got ${typeof value}`);
  return value;
}

/** An optional non-negative integer field (accepts int, long and whole doubles). */
export function optionalCount(command: Doc, field: string): number | undefined {
  const raw = command[field];
  if (raw === undefined || raw === null) return undefined;
  const value =
    typeof raw === 'object' && raw !== null && 'toNumber' in raw
      ? (raw as { toNumber(): number }).toNumber()
      : raw;
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw commandError('TypeMismatch', `'${field}' must be an integer`);
  return value;
}

/** A required array field. */
export function requiredArray(command: Doc, field: string): unknown[] {
  const value = command[field];
  if (!Array.isArray(value)) throw commandError('TypeMismatch', `'${field}' must be an array`);
  return value;
}

/** An optional boolean field. */
export function optionalBool(command: Doc, field: string, fallback: boolean): boolean {
  const value = command[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  throw commandError('TypeMismatch', `'${field}' must be a boolean`);
}
