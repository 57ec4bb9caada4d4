import { commandError } from '../../errors/error-codes';
import { Doc, isPlainObject } from './document-paths';

/** An index definition as `listIndexes` returns it. */
export interface IndexSpec {
  readonly v: number;
  readonly key: Doc;
  readonly name: string;
  readonly unique?: boolean;
  readonly sparse?: boolean;
  readonly partialFilterExpression?: Doc;
  readonly [option: string]: unknown;
}

/** The implicit `_id_` index every collection has. */
export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

/** MongoDB's default index name: `a_1_b_-1`. */
export function defaultIndexName(key: Doc): string {
  return Object.entries(key)
    .map(([field, dir]) => `${field}_${String(dir)}`)
    .join('_');
}

/** Validates one entry of `createIndexes.indexes` and returns the spec to store. */
export function parseIndexSpec(raw: unknown): IndexSpec {
  if (!isPlainObject(raw)) throw commandError('TypeMismatch', 'each index specification must be an object');
  const key = raw['key'];
  if (!isPlainObject(key) || Object.keys(key).length === 0) {
    throw commandError('BadValue', "index specification must have a non-empty 'key' object");
  }
  for (const [field, dir] of Object.entries(key)) {
    const ok =
      (typeof dir === 'number' && dir !== 0) || dir === 'text' || dir === 'hashed' || dir === '2dsphere';
    if (!ok)
      throw commandError(
        'BadValue',
        `bad index key pattern { ${field}: ${String(dir)} }: values must be 1, -1 or an index type`,
      );
  }
  const name = raw['name'] ?? defaultIndexName(key);
  if (typeof name !== 'string' || name.length === 0)
    throw commandError('BadValue', 'index name must be a non-empty string');
  if (raw['unique'] !== undefined && typeof raw['unique'] !== 'boolean') {
    throw commandError('TypeMismatch', "index option 'unique' must be a boolean");
  }
  if (raw['partialFilterExpression'] !== undefined && !isPlainObject(raw['partialFilterExpression'])) {
    throw commandError('TypeMismatch', "index option 'partialFilterExpression' must be an object");
  }
  const options: Record<string, unknown> = {};
  for (const [option, value] of Object.entries(raw)) {
    if (option === 'key' || option === 'name' || option === 'v' || option === 'ns') continue;
    if (option === 'unique' && value === false) continue;
    options[option] = value;
  }
  return { v: 2, key, name, ...options };
}
