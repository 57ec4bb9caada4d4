import { Aggregator, update as mingoUpdate } from 'mingo';
import { commandError } from '../../errors/error-codes';
import { CommandError } from '../../errors/embedded-mongo-error';
import { cloneDoc, Doc, isPlainObject, setPath } from '../storage/document-paths';
import { valueKey } from '../storage/value-key';
import { fastUpdate } from './fast-update';
import { MINGO_OPTIONS } from './mingo-options';

const PIPELINE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);

/** The kind of an update document. */
export type UpdateKind = 'operators' | 'replacement' | 'pipeline';

/** Classifies and validates an update (`u`) value. */
export function updateKind(update: unknown): UpdateKind {
  if (Array.isArray(update)) {
    for (const stage of update) {
      const name = isPlainObject(stage) ? Object.keys(stage)[0] : undefined;
      if (!name || !PIPELINE_STAGES.has(name)) {
        throw commandError('InvalidOptions', `${String(name)} is not allowed to be used within an update`);
      }
    }
    return 'pipeline';
  }
  if (!isPlainObject(update))
    throw commandError('FailedToParse', 'Update argument must be either an object or an array');
  const keys = Object.keys(update);
  const operators = keys.filter((k) => k.startsWith('$'));
  if (operators.length === 0) return 'replacement';
  if (operators.length !== keys.length) {
    const plain = keys.find((k) => !k.startsWith('$'));
    throw commandError(
      'FailedToParse',
      `Unknown modifier: ${String(plain)}. Expected a valid update modifier or pipeline-style update specified as an array`,
    );
  }
  return 'operators';
}

/** Result of applying an update to one document. */
export interface UpdateOutcome {
  readonly doc: Doc;
  readonly modified: boolean;
}

/**
 * Applies an update to a stored document (never mutated: the result is a new object).
 * `isInsert` makes `$setOnInsert` apply (upserts).
 */
export function applyUpdate(
  current: Doc,
  update: unknown,
  options: { isInsert: boolean; arrayFilters?: Doc[]; filter?: Doc },
): UpdateOutcome {
  const kind = updateKind(update);
  let next: Doc;
  let modified: boolean;
  if (kind === 'replacement') {
    const replacement = update as Doc;
    const fresh = options.isInsert && current['_id'] === undefined;
    if (!fresh && '_id' in replacement && valueKey(replacement['_id']) !== valueKey(current['_id'])) {
      throw commandError(
        'ImmutableField',
        "After applying the update, the (immutable) field '_id' was found to have been altered",
      );
    }
    next = fresh ? { ...current } : { _id: current['_id'] };
    if (fresh && '_id' in replacement) next = { _id: replacement['_id'], ...next };
    for (const [k, v] of Object.entries(replacement)) if (k !== '_id') next[k] = cloneDoc(v);
    modified = valueKey(next) !== valueKey(current);
  } else if (kind === 'pipeline') {
    try {
      next = new Aggregator(update as Doc[], MINGO_OPTIONS).run([cloneDoc(current)])[0] as Doc;
    } catch (e) {
      throw commandError('BadValue', (e as Error).message, e);
    }
    if (!next || !isPlainObject(next))
      throw commandError('BadValue', 'update pipeline must produce a document');
    modified = valueKey(next) !== valueKey(current);
  } else {
    const modifier: Doc = {};
    for (const [op, fields] of Object.entries(update as Doc)) {
      if (!isPlainObject(fields)) {
        throw commandError(
          'FailedToParse',
          `Modifiers operate on fields but we found type ${typeof fields} instead. For example: {$mod: {<field>: ...}} not {${op}: ${String(fields)}}`,
        );
      }
      if (op === '$setOnInsert') {
        if (options.isInsert) modifier['$set'] = { ...((modifier['$set'] as Doc) ?? {}), ...fields };
        continue;
      }
      modifier[op] = op === '$set' ? { ...((modifier['$set'] as Doc) ?? {}), ...fields } : fields;
    }
    const fast =
      Object.keys(modifier).length === 0 ? { doc: current, modified: false } : fastUpdate(current, modifier);
    if (fast) {
      next = fast.doc;
      modified = fast.modified;
    } else {
      next = cloneDoc(current);
      try {
        const changed = mingoUpdate(
          next,
          modifier,
          options.arrayFilters,
          positional(modifier) ? options.filter : undefined,
          { queryOptions: MINGO_OPTIONS },
        );
        modified = changed.length > 0;
      } catch (e) {
        const message = (e as Error).message;
        if (/Unknown update operator/.test(message)) {
          const op = /'(\$[^']*)'/.exec(message)?.[1] ?? 'unknown';
          throw commandError(
            'FailedToParse',
            `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
            e,
          );
        }
        throw commandError('BadValue', message, e);
      }
    }
  }
  if (
    !(options.isInsert && current['_id'] === undefined) &&
    valueKey(next['_id']) !== valueKey(current['_id'])
  ) {
    throw new CommandError(
      66,
      'ImmutableField',
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
  }
  return { doc: next, modified };
}

/** True when an update path uses the positional `$` operator (which needs the query filter). */
function positional(modifier: Doc): boolean {
  return Object.values(modifier).some(
    (fields) => isPlainObject(fields) && Object.keys(fields).some((p) => /(^|\.)\$(\.|$)/.test(p)),
  );
}

/**
 * The document an upsert starts from: the equality conditions of the filter
 * (`{ a: 1, 'b.c': 2, $and: [{ d: 3 }] }` gives `{ a: 1, b: { c: 2 }, d: 3 }`).
 */
export function upsertSeed(filter: Doc): Doc {
  const seed: Doc = {};
  const visit = (f: Doc): void => {
    for (const [key, value] of Object.entries(f)) {
      if (key === '$and' && Array.isArray(value)) {
        for (const part of value) if (isPlainObject(part)) visit(part);
        continue;
      }
      if (key.startsWith('$')) continue;
      if (isPlainObject(value)) {
        const ops = Object.keys(value);
        if (ops.length > 0 && ops.every((k) => k.startsWith('$'))) {
          if (ops.length === 1 && ops[0] === '$eq') setPath(seed, key, cloneDoc(value['$eq']));
          continue;
        }
      }
      if (value instanceof RegExp) continue;
      setPath(seed, key, cloneDoc(value));
    }
  };
  visit(filter);
  return seed;
}
