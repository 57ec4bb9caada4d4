import { commandError } from '../../errors/error-codes';
import { Doc } from './document-paths';
import { ID_INDEX, IndexSpec, parseIndexSpec } from './index-spec';
import { CollectionJournal, JournalRecord } from './journal';
import { DuplicateKeyError, UniqueIndex } from './unique-index';
import { valueKey } from './value-key';

/**
 * One collection in memory: documents in a hash map keyed by the canonical `_id` key
 * (insertion order is the natural order), its index specs, and hash maps for unique indexes.
 * Stored documents are never mutated: an update stores a new object, so open cursors keep a
 * consistent snapshot. Every change is also appended to the collection's journal.
 */
export class Collection {
  readonly docs = new Map<string, Doc>();
  private readonly indexSpecs: IndexSpec[] = [ID_INDEX];
  private readonly uniqueIndexes: UniqueIndex[] = [];

  constructor(
    readonly db: string,
    readonly name: string,
    readonly options: Doc,
    readonly journal: CollectionJournal,
  ) {}

  /** `db.collection`. */
  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  /** The index specs, `_id_` first. */
  get indexes(): readonly IndexSpec[] {
    return this.indexSpecs;
  }

  /** The document with this `_id`, if any (O(1)). */
  findById(id: unknown): Doc | undefined {
    return this.docs.get(valueKey(id));
  }

  /** Adds a new document; throws {@link DuplicateKeyError} on an `_id` or unique-index collision. */
  insert(doc: Doc): void {
    const id = valueKey(doc['_id']);
    if (this.docs.has(id)) {
      throw new DuplicateKeyError(this.ns, '_id_', { _id: 1 }, { _id: doc['_id'] });
    }
    for (const index of this.uniqueIndexes) index.check(this.ns, doc, id);
    this.journal.append({ p: doc }); // first: it throws for a document too large to store
    for (const index of this.uniqueIndexes) index.add(doc, id);
    this.docs.set(id, doc);
  }

  /** Replaces the stored version of a document (same `_id`) with `next`. */
  replace(previous: Doc, next: Doc): void {
    const id = valueKey(previous['_id']);
    if (valueKey(next['_id']) !== id)
      throw commandError(
        'ImmutableField',
        "Performing an update on the path '_id' would modify the immutable field '_id'",
      );
    for (const index of this.uniqueIndexes) index.check(this.ns, next, id);
    this.journal.append({ p: next });
    for (const index of this.uniqueIndexes) {
      index.remove(previous, id);
      index.add(next, id);
    }
    this.docs.set(id, next);
  }

  /** Removes a document. */
  delete(doc: Doc): void {
    const id = valueKey(doc['_id']);
    const stored = this.docs.get(id);
    if (!stored) return;
    for (const index of this.uniqueIndexes) index.remove(stored, id);
    this.docs.delete(id);
    this.journal.append({ d: doc['_id'] });
  }

  /**
   * Adds an index. Returns false when an identical one exists; throws when the name or key is
   * taken by a different index, or when existing documents violate a new unique index.
   */
  createIndex(spec: IndexSpec, journal = true): boolean {
    const sameName = this.indexSpecs.find((i) => i.name === spec.name);
    const sameKey = this.indexSpecs.find((i) => JSON.stringify(i.key) === JSON.stringify(spec.key));
    if (sameName || sameKey) {
      const existing = (sameName ?? sameKey) as IndexSpec;
      const sameOptions = JSON.stringify(normalize(existing)) === JSON.stringify(normalize(spec));
      if (sameName && sameKey === sameName && sameOptions) return false;
      if (sameKey && sameKey.name === '_id_' && !spec.unique && !spec.sparse && !spec.partialFilterExpression)
        return false;
      if (sameName && JSON.stringify(sameName.key) !== JSON.stringify(spec.key)) {
        throw commandError(
          'IndexKeySpecsConflict',
          `An existing index has the same name as the requested index. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName)}`,
        );
      }
      throw commandError(
        'IndexOptionsConflict',
        `An equivalent index already exists with a different name or options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing)}`,
      );
    }
    if (spec.unique) {
      const index = new UniqueIndex(spec);
      for (const [id, doc] of this.docs) {
        index.check(this.ns, doc, id);
        index.add(doc, id);
      }
      this.uniqueIndexes.push(index);
    }
    this.indexSpecs.push(spec);
    if (journal) this.journal.append({ i: spec });
    return true;
  }

  /** Drops an index by name; `_id_` cannot be dropped. */
  dropIndex(name: string, journal = true): void {
    if (name === '_id_') throw commandError('InvalidOptions', 'cannot drop _id index');
    const at = this.indexSpecs.findIndex((i) => i.name === name);
    if (at < 0) throw commandError('IndexNotFound', `index not found with name [${name}]`);
    this.indexSpecs.splice(at, 1);
    const u = this.uniqueIndexes.findIndex((i) => i.spec.name === name);
    if (u >= 0) this.uniqueIndexes.splice(u, 1);
    if (journal) this.journal.append({ x: name });
  }

  /** Applies one journal record while loading (no unique checks: the journal only holds accepted writes). */
  replay(record: Doc): void {
    if ('p' in record) {
      const doc = record['p'] as Doc;
      const id = valueKey(doc['_id']);
      const previous = this.docs.get(id);
      if (previous) for (const index of this.uniqueIndexes) index.remove(previous, id);
      for (const index of this.uniqueIndexes) index.add(doc, id);
      this.docs.set(id, doc);
    } else if ('d' in record) {
      const id = valueKey(record['d']);
      const previous = this.docs.get(id);
      if (previous) {
        for (const index of this.uniqueIndexes) index.remove(previous, id);
        this.docs.delete(id);
      }
    } else if ('i' in record) {
      // Written by createIndex from an accepted spec: parsing it again gives that spec back, typed.
      const spec = parseIndexSpec(record['i']);
      if (!this.indexSpecs.some((i) => i.name === spec.name)) {
        this.indexSpecs.push(spec);
        if (spec.unique) this.uniqueIndexes.push(new UniqueIndex(spec));
      }
    } else if ('x' in record) {
      if (this.indexSpecs.some((i) => i.name === record['x'])) this.dropIndex(String(record['x']), false);
    }
  }

  /** The records of a compacted journal: creation, indexes, then every live document. */
  *snapshot(): Iterable<JournalRecord> {
    yield { c: this.options };
    for (const spec of this.indexSpecs) if (spec.name !== '_id_') yield { i: spec };
    for (const doc of this.docs.values()) yield { p: doc };
  }

  /** Compacts the journal when it holds many more records than live documents. */
  maybeCompact(threshold: number): boolean {
    const live = this.docs.size + this.indexSpecs.length;
    if (this.journal.records > threshold && this.journal.records > 2 * live) {
      this.journal.compact(this.snapshot());
      return true;
    }
    return false;
  }
}

function normalize(spec: IndexSpec): Doc {
  const out: Doc = {};
  for (const k of Object.keys(spec).sort()) if (k !== 'v' && k !== 'name') out[k] = spec[k];
  return out;
}
