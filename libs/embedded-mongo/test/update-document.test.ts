import { ObjectId } from 'bson';
import { update as mingoUpdate } from 'mingo';
import { fastUpdate } from '../src/internals/query/fast-update';
import { applyUpdate, upsertSeed } from '../src/internals/query/update-document';
import { cloneDoc } from '../src/internals/storage/document-paths';
import { valueKey } from '../src/internals/storage/value-key';
import { CommandError, EmbeddedMongoError } from '../src';

/** A small deterministic PRNG so the generated cases are the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('update application', () => {
  it('the fast path gives the same documents as mingo for $set/$unset/$inc on plain paths', () => {
    const rand = rng(42);
    const paths = ['a', 'b', 'c.d', 'c.e', 'f.g.h'];
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
    let compared = 0;
    for (let i = 0; i < 400; i++) {
      const doc: Record<string, unknown> = { _id: i, a: 1, c: { d: 2 } };
      if (rand() < 0.5) doc['b'] = 'x';
      const modifier: Record<string, Record<string, unknown>> = {};
      const used = new Set<string>();
      for (const op of ['$set', '$unset', '$inc']) {
        if (rand() < 0.5) continue;
        const p = pick(paths);
        if ([...used].some((u) => u === p || u.startsWith(p + '.') || p.startsWith(u + '.'))) continue;
        used.add(p);
        modifier[op] = {
          [p]: op === '$unset' ? '' : op === '$inc' ? Math.floor(rand() * 3) : pick([1, 2, 'x', { y: 1 }]),
        };
      }
      if (Object.keys(modifier).length === 0) continue;
      if (modifier['$inc'] && Object.keys(modifier['$inc']).some((p) => p === 'b' && doc['b'] !== undefined))
        continue;
      const before = cloneDoc(doc);
      const fast = fastUpdate(doc, modifier);
      const viaMingo = cloneDoc(doc);
      const changed = mingoUpdate(viaMingo, modifier as never);
      expect(fast).toBeDefined();
      expect(valueKey(sortKeys(fast?.doc))).toBe(valueKey(sortKeys(viaMingo)));
      expect(fast?.modified).toBe(changed.length > 0);
      expect(doc).toEqual(before); // the stored document is never mutated
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('falls back to mingo for other operators and positional paths', () => {
    expect(fastUpdate({ _id: 1, a: [1] }, { $push: { a: 2 } })).toBeUndefined();
    expect(fastUpdate({ _id: 1, a: [{ b: 1 }] }, { $set: { 'a.$[].b': 2 } })).toBeUndefined();
    expect(fastUpdate({ _id: 1, a: [{ b: 1 }] }, { $set: { 'a.0.b': 2 } })).toBeUndefined();
    expect(applyUpdate({ _id: 1, a: [{ b: 1 }] }, { $set: { 'a.0.b': 2 } }, { isInsert: false }).doc).toEqual(
      { _id: 1, a: [{ b: 2 }] },
    );
    expect(
      applyUpdate({ _id: 1, a: [1, 2, 3] }, { $pull: { a: 2 }, $max: { m: 5 } }, { isInsert: false }).doc,
    ).toEqual({ _id: 1, a: [1, 3], m: 5 });
  });

  it('applies $setOnInsert only on insert and keeps _id immutable', () => {
    const u = { $set: { a: 1 }, $setOnInsert: { created: true } };
    expect(applyUpdate({ _id: 1 }, u, { isInsert: true }).doc).toEqual({ _id: 1, a: 1, created: true });
    expect(applyUpdate({ _id: 1 }, u, { isInsert: false }).doc).toEqual({ _id: 1, a: 1 });
    expect(() => applyUpdate({ _id: 1 }, { $set: { _id: 2 } }, { isInsert: false })).toThrow(CommandError);
    expect(() => applyUpdate({ _id: 1 }, { _id: 2, a: 1 }, { isInsert: false })).toThrow(
      /\(immutable\) field '_id' was found to have been altered/,
    );
    const err = (() => {
      try {
        applyUpdate({ _id: 1 }, { a: 1, $set: { b: 1 } }, { isInsert: false });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(EmbeddedMongoError);
    expect(err).toMatchObject({ code: 9, codeName: 'FailedToParse' });
  });

  it('supports pipeline-style updates', () => {
    const out = applyUpdate(
      { _id: 1, a: 2, b: 3 },
      [{ $set: { sum: { $add: ['$a', '$b'] } } }, { $unset: 'b' }],
      { isInsert: false },
    );
    expect(out).toEqual({ doc: { _id: 1, a: 2, sum: 5 }, modified: true });
  });

  it('seeds upserts from the equality conditions of the filter', () => {
    const id = new ObjectId();
    expect(
      upsertSeed({
        _id: id,
        a: 1,
        'b.c': 'x',
        d: { $gt: 3 },
        e: { $eq: 4 },
        $and: [{ f: 5 }],
        $or: [{ g: 1 }],
      }),
    ).toEqual({
      _id: id,
      a: 1,
      b: { c: 'x' },
      e: 4,
      f: 5,
    });
  });

  it('gives equal index keys to numerically equal values and distinct ones otherwise', () => {
    const id = new ObjectId();
    expect(valueKey(1)).toBe(valueKey(1.0));
    expect(valueKey(id)).toBe(valueKey(new ObjectId(id.toHexString())));
    expect(valueKey('1')).not.toBe(valueKey(1));
    expect(valueKey({ a: 1, b: 2 })).not.toBe(valueKey({ b: 2, a: 1 }));
    expect(valueKey(null)).toBe(valueKey(undefined));
    expect(valueKey(new Date(5))).not.toBe(valueKey(5));
  });
});

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object' && (v as object).constructor === Object) {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}
