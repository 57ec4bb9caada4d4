import { Aggregator, Query } from 'mingo';
import { commandError } from '../../errors/error-codes';
import { Collection } from '../storage/collection';
import { Doc, isPlainObject } from '../storage/document-paths';
import { MINGO_OPTIONS } from './mingo-options';

/** Turns a mingo error (bad operator, bad expression) into a MongoDB-style BadValue error. */
export function asQueryError(e: unknown): Error {
  if (e instanceof Error && e.constructor.name === 'MingoError')
    return commandError('BadValue', e.message, e);
  if (e instanceof Error && !(e as { code?: unknown }).code) return commandError('BadValue', e.message, e);
  return e as Error;
}

/** The `_id` value of a filter of the form `{ _id: v }` or `{ _id: { $eq: v } }`, for an O(1) lookup. */
function idEquality(filter: Doc): { id: unknown } | undefined {
  const keys = Object.keys(filter);
  if (keys.length !== 1 || keys[0] !== '_id') return undefined;
  const value = filter['_id'];
  if (isPlainObject(value)) {
    const ops = Object.keys(value);
    if (ops.length === 1 && ops[0] === '$eq') return { id: value['$eq'] };
    if (ops.some((k) => k.startsWith('$'))) return undefined;
    return { id: value };
  }
  if (value instanceof RegExp || Array.isArray(value)) return undefined;
  return { id: value };
}

/** A compiled filter. */
export class Filter {
  private readonly byId: { id: unknown } | undefined;
  private compiled: Query | undefined;
  private readonly empty: boolean;

  constructor(readonly filter: Doc = {}) {
    if (!isPlainObject(filter)) throw commandError('TypeMismatch', 'filter must be an object');
    this.byId = idEquality(filter);
    this.empty = Object.keys(filter).length === 0;
    // an _id equality is answered by lookup; mingo compiles lazily, only when a scan needs it
    if (!this.byId && !this.empty) this.query();
  }

  private query(): Query {
    try {
      this.compiled ??= new Query(this.filter, MINGO_OPTIONS);
      return this.compiled;
    } catch (e) {
      throw asQueryError(e);
    }
  }

  /** True when a document matches. */
  test(doc: Doc): boolean {
    try {
      return this.empty ? true : this.query().test(doc);
    } catch (e) {
      throw asQueryError(e);
    }
  }

  /** Matching documents in natural order, at most `limit` (0 = all). `_id` equality is an O(1) lookup. */
  select(collection: Collection | undefined, limit = 0): Doc[] {
    if (!collection) return [];
    if (this.byId) {
      const doc = collection.findById(this.byId.id);
      return doc ? [doc] : [];
    }
    const out: Doc[] = [];
    for (const doc of collection.docs.values()) {
      if (this.test(doc)) {
        out.push(doc);
        if (limit > 0 && out.length >= limit) break;
      }
    }
    return out;
  }
}

/** Options of {@link findDocuments}. */
export interface FindSpec {
  readonly filter?: Doc;
  readonly sort?: Doc;
  readonly projection?: Doc;
  readonly skip?: number;
  readonly limit?: number;
}

/** Runs a find: filter, sort, skip, limit, projection (mingo semantics). */
export function findDocuments(collection: Collection | undefined, spec: FindSpec): Doc[] {
  const filter = new Filter(spec.filter ?? {});
  const hasSort = spec.sort && Object.keys(spec.sort).length > 0;
  const hasProjection = spec.projection && Object.keys(spec.projection).length > 0;
  const skip = spec.skip ?? 0;
  const limit = spec.limit ?? 0;
  // without sort, stop scanning as soon as skip + limit documents matched
  let docs = filter.select(collection, !hasSort && limit > 0 ? skip + limit : 0);
  if (!hasSort && !hasProjection) {
    return limit > 0 ? docs.slice(skip, skip + limit) : docs.slice(skip);
  }
  try {
    const stages: Doc[] = [];
    if (hasSort) stages.push({ $sort: spec.sort });
    if (skip > 0) stages.push({ $skip: skip });
    if (limit > 0) stages.push({ $limit: limit });
    if (hasProjection) stages.push({ $project: spec.projection });
    docs = new Aggregator(stages, MINGO_OPTIONS).run(docs) as Doc[];
    return docs;
  } catch (e) {
    throw asQueryError(e);
  }
}

/** Applies a find projection to one document. */
export function projectDocument(doc: Doc, projection: Doc): Doc {
  try {
    return new Aggregator([{ $project: projection }], MINGO_OPTIONS).run([doc])[0] as Doc;
  } catch (e) {
    throw asQueryError(e);
  }
}
