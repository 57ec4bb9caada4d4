import { copartitionedAssignor } from '../../src/processor/internals/partition-assignor';

describe('copartitionedAssignor', () => {
  it('keeps partition p of every topic on one member and spreads partitions over members', () => {
    const plan = copartitionedAssignor(['m1', 'm2'], new Map([['orders', 6], ['customers', 6], ['small', 2]]));
    const owner = new Map<string, string>();
    for (const [member, topics] of plan) for (const [topic, ps] of topics) for (const p of ps) owner.set(`${topic}-${p}`, member);
    for (let p = 0; p < 6; p++) expect(owner.get(`orders-${p}`)).toBe(owner.get(`customers-${p}`));
    expect(owner.get('small-0')).toBe(owner.get('orders-0'));
    expect(owner.get('small-1')).toBe(owner.get('orders-1'));
    expect(owner.size).toBe(14);
    expect(plan.get('m1')!.get('orders')).toHaveLength(3);
    expect(plan.get('m2')!.get('orders')).toHaveLength(3);
  });

  it('gives every partition to a single member and nothing to members beyond the partition count', () => {
    expect([...copartitionedAssignor(['a'], new Map([['t', 3]])).get('a')!.get('t')!]).toEqual([0, 1, 2]);
    const plan = copartitionedAssignor(['a', 'b', 'c'], new Map([['t', 2]]));
    expect(plan.get('c')!.size).toBe(0);
  });
});
