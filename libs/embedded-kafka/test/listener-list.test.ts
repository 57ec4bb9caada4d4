import { ListenerList } from '../src/log/listener-list';
import { seededRandom } from './helpers/seeded-random';

describe('ListenerList', () => {
  it('calls listeners in the order added; a remover removes its listener once', () => {
    const list = new ListenerList();
    const calls: number[] = [];
    const removers = [1, 2, 3].map((i) => list.add(() => calls.push(i)));
    list.fire();
    expect(calls).toEqual([1, 2, 3]);
    removers[1]!();
    removers[1]!();
    expect(list.size).toBe(2);
    list.fire();
    expect(calls).toEqual([1, 2, 3, 1, 3]);
    list.clear();
    expect(list.size).toBe(0);
    list.fire();
    expect(calls).toEqual([1, 2, 3, 1, 3]);
    removers[0]!(); // after clear: nothing to remove, size stays 0
    expect(list.size).toBe(0);
  });

  it('a listener removing itself, a later one and an earlier one while firing', () => {
    const list = new ListenerList();
    const calls: string[] = [];
    const removers: Record<string, () => void> = {};
    removers.a = list.add(() => calls.push('a'));
    removers.b = list.add(() => {
      calls.push('b');
      removers.b!();
      removers.c!();
      removers.a!();
    });
    removers.c = list.add(() => calls.push('c'));
    removers.d = list.add(() => calls.push('d'));
    list.fire();
    expect(calls).toEqual(['a', 'b', 'd']);
    list.fire();
    expect(calls).toEqual(['a', 'b', 'd', 'd']);
    expect(list.size).toBe(1);
  });

  it('listeners added while firing wait for the next fire; clear while firing stops the rest', () => {
    const list = new ListenerList();
    const calls: string[] = [];
    list.add(() => {
      calls.push('a');
      list.add(() => calls.push('new'));
    });
    list.fire();
    expect(calls).toEqual(['a']);
    list.fire();
    expect(calls).toEqual(['a', 'a', 'new']);
    const other = new ListenerList();
    other.add(() => {
      calls.push('x');
      other.clear();
    });
    other.add(() => calls.push('y'));
    other.fire();
    expect(calls.slice(-1)).toEqual(['x']);
    expect(other.size).toBe(0);
  });

  it('random adds, removes and fires (listeners removing others while firing) match a model', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const rnd = seededRandom(seed);
      const list = new ListenerList();
      // The model: the live listeners in order of addition.
      let model: number[] = [];
      const removers = new Map<number, () => void>();
      const removedDuringFire = new Map<number, number[]>();
      let calls: number[] = [];
      let nextId = 0;
      for (let step = 0; step < 400; step++) {
        const r = rnd();
        if (r < 0.45 || model.length === 0) {
          const id = nextId++;
          // Some listeners remove other listeners (or themselves) when called.
          const victims = rnd() < 0.3 ? [...model, id].filter(() => rnd() < 0.3) : [];
          removedDuringFire.set(id, victims);
          removers.set(
            id,
            list.add(() => {
              calls.push(id);
              for (const v of removedDuringFire.get(id)!) removers.get(v)!();
            }),
          );
          model.push(id);
        } else if (r < 0.75) {
          const id = model[Math.floor(rnd() * model.length)]!;
          removers.get(id)!();
          model = model.filter((x) => x !== id);
        } else {
          // Expected: walk the model in order; a listener still live when reached is called and
          // removes its victims.
          const expected: number[] = [];
          const live = new Set(model);
          for (const id of model) {
            if (!live.has(id)) continue;
            expected.push(id);
            for (const v of removedDuringFire.get(id)!) live.delete(v);
          }
          calls = [];
          list.fire();
          expect(calls).toEqual(expected);
          model = model.filter((id) => live.has(id));
        }
        expect(list.size).toBe(model.length);
      }
    }
  });
});
