import { commandError } from '../../errors/error-codes';
import { Doc, isPlainObject } from '../storage/document-paths';
import { valueKey } from '../storage/value-key';
import { cloneDoc } from '../storage/document-paths';

const FAST_OPERATORS = new Set(['$set', '$unset', '$inc']);

/**
 * Walks to the parent object of a dotted path on `doc` (a private copy), creating missing
 * objects when `create`. Returns undefined when the path crosses an array or a non-object
 * value (those cases are left to mingo's full implementation).
 */
function parentOf(
  doc: Doc,
  path: string,
  create: boolean,
): { parent: Doc; field: string } | undefined | null {
  const parts = path.split('.');
  let current = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = current[parts[i]];
    if (next === undefined) {
      if (!create) return null;
      const made: Doc = {};
      current[parts[i]] = made;
      current = made;
    } else if (isPlainObject(next)) {
      const copy = { ...next };
      current[parts[i]] = copy;
      current = copy;
    } else {
      return undefined;
    }
  }
  return { parent: current, field: parts[parts.length - 1] };
}

/**
 * The common update operators (`$set`, `$unset`, `$inc` on plain field paths) applied without
 * mingo, which rebuilds its operator context on every call (too slow for bulk upserts).
 * Returns undefined when the modifier needs the full implementation (other operators,
 * positional or array paths, non-number `$inc`).
 */
export function fastUpdate(current: Doc, modifier: Doc): { doc: Doc; modified: boolean } | undefined {
  for (const [op, fields] of Object.entries(modifier)) {
    if (!FAST_OPERATORS.has(op) || !isPlainObject(fields)) return undefined;
    for (const path of Object.keys(fields)) {
      if (
        path.length === 0 ||
        path.includes('$') ||
        path.startsWith('.') ||
        path.endsWith('.') ||
        path.includes('..')
      )
        return undefined;
    }
  }
  const next: Doc = { ...current };
  let modified = false;
  for (const [op, fields] of Object.entries(modifier)) {
    for (const [path, value] of Object.entries(fields as Doc)) {
      const at = parentOf(next, path, op !== '$unset');
      if (at === undefined) return undefined;
      if (at === null) continue; // $unset of a missing path
      const { parent, field } = at;
      if (op === '$set') {
        if (!(field in parent) || valueKey(parent[field]) !== valueKey(value)) {
          parent[field] = cloneDoc(value);
          modified = true;
        }
      } else if (op === '$unset') {
        if (field in parent) {
          delete parent[field];
          modified = true;
        }
      } else {
        if (typeof value !== 'number') return undefined;
        const old = parent[field];
        if (old === undefined) {
          parent[field] = value;
          modified = true;
        } else if (typeof old === 'number') {
          if (value !== 0) {
            parent[field] = old + value;
            modified = true;
          }
        } else if (old === null || typeof old !== 'object' || !('toNumber' in (old as object))) {
          throw commandError(
            'TypeMismatch',
            `Cannot apply $inc to a value of non-numeric type. {_id: ${String(current['_id'])}} has the field '${field}' of non-numeric type ${old === null ? 'null' : typeof old}`,
          );
        } else {
          return undefined;
        }
      }
    }
  }
  return { doc: next, modified };
}
