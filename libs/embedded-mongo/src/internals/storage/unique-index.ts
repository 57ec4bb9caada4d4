import { Query } from 'mingo';
import { CommandError } from '../../errors/embedded-mongo-error';
import { ErrorCode } from '../../errors/error-codes';
import { Doc, getPath, hasPath } from './document-paths';
import { IndexSpec } from './index-spec';
import { describeValue, valueKey } from './value-key';

/** E11000: the write would put a second document under one unique-index key. */
export class DuplicateKeyError extends CommandError {
  constructor(
    ns: string,
    indexName: string,
    /** The index key pattern, e.g. `{ email: 1 }`. */
    readonly keyPattern: Doc,
    /** The duplicated values, e.g. `{ email: 'a@b.c' }`. */
    readonly keyValue: Doc,
  ) {
    super(
      ErrorCode.DuplicateKey,
      'DuplicateKey',
      `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: ${describeValue(keyValue)}`,
    );
  }
}

/**
 * A unique index kept as a hash map from the canonical key of the indexed values to the
 * `_id` key of the owning document, so checks and updates are O(1).
 * Missing fields index as null (as in MongoDB) unless the index is sparse; a partial index only
 * holds documents matching its filter; an array in a single-field index indexes each element.
 */
export class UniqueIndex {
  private readonly owners = new Map<string, string>();
  private readonly fields: string[];
  private readonly partial: Query | undefined;

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    this.partial = spec.partialFilterExpression
      ? new Query(spec.partialFilterExpression, { scriptEnabled: false })
      : undefined;
  }

  /** The keys a document occupies in this index (empty when the document is not indexed). */
  keysOf(doc: Doc): string[] {
    if (this.partial && !this.partial.test(doc)) return [];
    if (this.spec.sparse && this.fields.every((f) => !hasPath(doc, f))) return [];
    if (this.fields.length === 1) {
      const value = getPath(doc, this.fields[0]);
      if (Array.isArray(value) && value.length > 0) return [...new Set(value.map(valueKey))];
      return [valueKey(value)];
    }
    return [this.fields.map((f) => valueKey(getPath(doc, f))).join('\u0000')];
  }

  /** Throws {@link DuplicateKeyError} when `doc` (owned by `idKey`) collides with another document. */
  check(ns: string, doc: Doc, idKey: string): void {
    for (const key of this.keysOf(doc)) {
      const owner = this.owners.get(key);
      if (owner !== undefined && owner !== idKey) {
        const keyValue: Doc = {};
        for (const f of this.fields) keyValue[f] = getPath(doc, f) ?? null;
        throw new DuplicateKeyError(ns, this.spec.name, this.spec.key, keyValue);
      }
    }
  }

  add(doc: Doc, idKey: string): void {
    for (const key of this.keysOf(doc)) this.owners.set(key, idKey);
  }

  remove(doc: Doc, idKey: string): void {
    for (const key of this.keysOf(doc)) {
      if (this.owners.get(key) === idKey) this.owners.delete(key);
    }
  }
}
