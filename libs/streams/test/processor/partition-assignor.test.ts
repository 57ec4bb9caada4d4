import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AssignmentMemory,
  copartitionedAssignor,
  encodeSubscriptionInfo,
} from '../../src/processor/internals/partition-assignor';

describe('copartitionedAssignor', () => {
  it('keeps partition p of every topic on one member and spreads partitions over members', () => {
    const plan = copartitionedAssignor(
      ['m1', 'm2'],
      new Map([
        ['orders', 6],
        ['customers', 6],
        ['small', 2],
      ]),
    );
    const owner = new Map<string, string>();
    for (const [member, topics] of plan)
      for (const [topic, ps] of topics) for (const p of ps) owner.set(`${topic}-${p}`, member);
    for (let p = 0; p < 6; p++) expect(owner.get(`orders-${p}`)).toBe(owner.get(`customers-${p}`));
    expect(owner.get('small-0')).toBe(owner.get('orders-0'));
    expect(owner.get('small-1')).toBe(owner.get('orders-1'));
    expect(owner.size).toBe(14);
    expect(plan.get('m1')!.get('orders')).toHaveLength(3);
    expect(plan.get('m2')!.get('orders')).toHaveLength(3);
  });

  it('gives every partition to a single member and nothing to members beyond the partition count', () => {
    expect([
      ...copartitionedAssignor(['a'], new Map([['t', 3]]))
        .get('a')!
        .get('t')!,
    ]).toEqual([0, 1, 2]);
    const plan = copartitionedAssignor(['a', 'b', 'c'], new Map([['t', 2]]));
    expect(plan.get('c')!.size).toBe(0);
  });
});

describe('sticky assignment from claimed partitions', () => {
  const ud = (claims: number[]) => encodeSubscriptionInfo({ claimedPartitions: claims });
  const owners = (plan: Map<string, Map<string, number[]>>) => {
    const out: Record<string, number[]> = {};
    for (const [m, topics] of plan) out[m] = [...(topics.get('t') ?? [])].sort();
    return out;
  };

  it('gives a restarted member back the partitions it ran, even when another member currently runs them all', () => {
    // "b" ran all four while "a" was down; "a" comes back claiming the two it ran before.
    const plan = copartitionedAssignor(
      ['b', 'a'],
      new Map([['t', 4]]),
      new Map([
        ['a', ud([1, 3])],
        ['b', ud([0, 1, 2, 3])],
      ]),
    );
    expect(owners(plan)).toEqual({ a: [1, 3], b: [0, 2] });
  });

  it('keeps claims within a balanced share and deals the rest to the least loaded', () => {
    const plan = copartitionedAssignor(
      ['a', 'b', 'c'],
      new Map([['t', 6]]),
      new Map([
        ['a', ud([0, 1, 2, 3, 4, 5])],
        ['b', ud([])],
      ]),
    );
    expect(owners(plan)).toEqual({ a: [0, 1], b: [2, 5], c: [3, 4] });
  });

  it('ignores claims out of range and foreign userData', () => {
    const plan = copartitionedAssignor(
      ['a', 'b'],
      new Map([['t', 2]]),
      new Map([
        ['a', ud([7, 1])],
        ['b', Buffer.from('other')],
      ]),
    );
    expect(owners(plan)).toEqual({ a: [1], b: [0] });
  });

  it('AssignmentMemory persists the last assignment per thread and survives a bad file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assign-mem-'));
    try {
      const m = new AssignmentMemory(dir, 'app', 0);
      expect(m.claims()).toEqual([]);
      m.save(
        new Map([
          ['t', [3, 1]],
          ['u', [1]],
        ]),
      );
      expect(new AssignmentMemory(dir, 'app', 0).claims()).toEqual([1, 3]);
      expect(new AssignmentMemory(dir, 'app', 1).claims()).toEqual([]);
      fs.writeFileSync(path.join(dir, 'app', '.assignment-0.json'), '{not json');
      expect(new AssignmentMemory(dir, 'app', 0).claims()).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('claims never starve a member', () => {
  it('with 4 partitions and 3 members, claims of 2+2 still leave every member a partition', () => {
    const ud = (claims: number[]) => encodeSubscriptionInfo({ claimedPartitions: claims });
    const plan = copartitionedAssignor(
      ['a', 'b', 'c'],
      new Map([['t', 4]]),
      new Map([
        ['a', ud([0, 1])],
        ['b', ud([2, 3])],
      ]),
    );
    const sizes = ['a', 'b', 'c'].map((m) => plan.get(m)!.get('t')?.length ?? 0);
    expect(sizes.sort()).toEqual([1, 1, 2]);
    expect(plan.get('a')!.get('t')).toContain(0);
    expect(plan.get('b')!.get('t')).toContain(2);
  });
});
