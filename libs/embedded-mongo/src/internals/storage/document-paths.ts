/** A document as the storage engine holds it (decoded BSON). */
export type Doc = Record<string, unknown>;

/** Reads a dotted path (`a.b.c`); returns `undefined` when a part is missing. Does not descend into arrays. */
export function getPath(doc: Doc, path: string): unknown {
  if (!path.includes('.')) return doc[path];
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Doc)[part];
  }
  return current;
}

/** True when the dotted path exists in the document. */
export function hasPath(doc: Doc, path: string): boolean {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object' || !(part in (current as Doc))) return false;
    current = (current as Doc)[part];
  }
  return true;
}

/** Sets a dotted path, creating intermediate objects. */
export function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let current = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = current[parts[i]];
    if (next === null || typeof next !== 'object') {
      const created: Doc = {};
      current[parts[i]] = created;
      current = created;
    } else {
      current = next as Doc;
    }
  }
  current[parts[parts.length - 1]] = value;
}

/**
 * Deep copy of plain objects and arrays; BSON value classes (ObjectId, Date, Long, ...) are shared,
 * since nothing mutates them in place.
 */
export function cloneDoc<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneDoc) as T;
  if (value !== null && typeof value === 'object' && (value as object).constructor === Object) {
    const out: Doc = {};
    for (const k of Object.keys(value as Doc)) out[k] = cloneDoc((value as Doc)[k]);
    return out as T;
  }
  if (value instanceof Date) return new Date(value.getTime()) as T;
  return value;
}

/** True for a plain object (a BSON embedded document). */
export function isPlainObject(value: unknown): value is Doc {
  return value !== null && typeof value === 'object' && (value as object).constructor === Object;
}
