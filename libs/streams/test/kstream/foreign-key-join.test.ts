import { x64 } from 'murmurhash3js-revisited';
import type { KTable } from '../../src';
import { Consumed, Materialized, Produced, Serdes, StreamsBuilder, TableJoined } from '../../src';
import { Stores } from '../../src/state';
import {
  type TestInputTopic,
  type TestOutputTopic,
  TopologyTestDriver,
  type TestDriverConfig,
} from '../../src/testing';
import { pick, seededRandom, triples } from './dsl-test-helpers';

const S = Serdes.String();
type Kind = 'join' | 'leftJoin';

/** Order values are `<customer id>|<n>`; an empty customer id is a null foreign key. */
const fkOf = (order: string): string | null => order.split('|')[0] || null;
const joiner = (order: string, customer: string | null) => `${order}&${customer}`;

type Row = { v: string; ts: number };

/**
 * The brute-force model: both tables, the subscriptions (foreign key -> primary keys), and what
 * Kafka Streams' foreign-key join emits per update (SubscriptionSendProcessorSupplier instructions
 * as apache/kafka#20605 left them: KAFKA-16407's fix for inner joins, an unchanged foreign key
 * answered only if the foreign row exists; KAFKA-16394's for left joins, the old key unsubscribed
 * without a response; SubscriptionJoinProcessorSupplier responses,
 * ForeignTableJoinProcessorSupplier fan-out in primary-key byte order, ResponseJoinProcessorSupplier
 * resolution), with every internal record processed in order as the test driver does.
 */
class Model {
  readonly orders = new Map<string, Row>();
  readonly customers = new Map<string, Row>();
  readonly subscriptions = new Map<string, Set<string>>();
  readonly emitted: Array<[string, string | null, number]> = [];

  constructor(private readonly kind: Kind) {}

  order(pk: string, value: string | null, ts: number): void {
    const old = this.orders.get(pk)?.v ?? null;
    if (value === null) this.orders.delete(pk);
    else this.orders.set(pk, { v: value, ts });
    const oldFk = old === null ? null : fkOf(old);
    const newFk = value === null ? null : fkOf(value);
    // Each subscription's response, resolved against the row's current (= new) value.
    const respond = (fk: string | null, instruction: 'delete' | 'delete-propagate' | 'null' | 'only') => {
      if (fk !== null) {
        const subs = this.subscriptions.get(fk) ?? new Set<string>();
        if (instruction.startsWith('delete')) subs.delete(pk);
        else subs.add(pk);
        this.subscriptions.set(fk, subs);
      }
      if (instruction === 'delete') return;
      const c = fk === null ? undefined : this.customers.get(fk);
      if (instruction === 'only' && !c) return;
      const foreign = instruction === 'delete-propagate' ? null : (c?.v ?? null);
      const at = Math.max(ts, c?.ts ?? -1);
      const result =
        foreign === null && (this.kind === 'join' || value === null) ? null : joiner(value!, foreign);
      this.emitted.push([pk, result, at]);
    };
    if (this.kind === 'leftJoin') {
      if (old === null && value === null) return;
      if (oldFk !== null && oldFk !== newFk) respond(oldFk, 'delete');
      respond(newFk, 'null'); // a delete too: its one tombstone
      return;
    }
    if (value === null) {
      if (oldFk !== null) respond(oldFk, 'delete-propagate');
    } else if (newFk === null) {
      if (oldFk !== null) respond(oldFk, 'delete-propagate');
    } else if (oldFk === null || oldFk === newFk) {
      respond(newFk, 'only');
    } else {
      respond(oldFk, 'delete');
      respond(newFk, 'null');
    }
  }

  customer(fk: string, value: string | null, ts: number): void {
    if (value === null) this.customers.delete(fk);
    else this.customers.set(fk, { v: value, ts });
    const subscribers = [...(this.subscriptions.get(fk) ?? [])].sort((a, b) =>
      Buffer.compare(Buffer.from(a), Buffer.from(b)),
    );
    for (const pk of subscribers) {
      const row = this.orders.get(pk)!;
      const result = value === null && this.kind === 'join' ? null : joiner(row.v, value);
      this.emitted.push([pk, result, ts]);
    }
  }

  /** The joined table of the current contents. */
  joined(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [pk, row] of this.orders) {
      const fk = fkOf(row.v);
      const c = fk === null ? null : (this.customers.get(fk)?.v ?? null);
      if (c !== null || this.kind === 'leftJoin') out.set(pk, joiner(row.v, c));
    }
    return out;
  }
}

function replay(records: Array<[string | null, string | null, number]>): Map<string, string> {
  const t = new Map<string, string>();
  for (const [k, v] of records) {
    if (v === null) t.delete(k!);
    else t.set(k!, v);
  }
  return t;
}

function fkJoin(
  kind: Kind,
  orders: KTable<string, string>,
  customers: KTable<string, string>,
  ...rest: [] | [Materialized<string, string>] | [TableJoined<string, string>, Materialized<string, string>]
): KTable<string, string> {
  const f = orders[kind] as (...args: unknown[]) => KTable<string, string>;
  return f.call(orders, customers, fkOf, joiner, ...rest);
}

/** The driver and topics of {@link withFkJoin}'s topology. */
interface FkJoinRun {
  readonly d: TopologyTestDriver;
  readonly o: TestInputTopic<string, string>;
  readonly c: TestInputTopic<string, string>;
  readonly out: TestOutputTopic<string, string>;
}

/** Runs `body` on a driver of `orders` foreign-key `kind`-joined with `customers` into `out`, then closes it. */
async function withFkJoin(
  kind: Kind,
  body: (run: FkJoinRun) => void,
  config: TestDriverConfig = {},
): Promise<void> {
  const b = new StreamsBuilder();
  const orders = b.table('orders', Consumed.with(S, S));
  const customers = b.table('customers', Consumed.with(S, S));
  fkJoin(kind, orders, customers).toStream().to('out', Produced.with(S, S));
  const d = await TopologyTestDriver.create(b.build(), config);
  try {
    body({
      d,
      o: d.createInputTopic('orders', S, S),
      c: d.createInputTopic('customers', S, S),
      out: d.createOutputTopic('out', S, S),
    });
  } finally {
    await d.close();
  }
}

describe('foreign-key KTable joins against a brute-force model', () => {
  for (const kind of ['join', 'leftJoin'] as Kind[]) {
    for (const seed of [21, 22]) {
      it(`${kind}, caching off: the emitted sequence and the joined table equal the model's, foreign keys changing (seed ${seed})`, async () => {
        const b = new StreamsBuilder();
        const mem = (n: string) =>
          Materialized.as<string, string>(Stores.inMemoryKeyValueStore(n)).withCachingDisabled();
        const orders = b.table('orders', Consumed.with(S, S), mem('orders-store'));
        const customers = b.table('customers', Consumed.with(S, S), mem('customers-store'));
        fkJoin(kind, orders, customers, mem('joined').withValueSerde(S))
          .toStream()
          .to('out', Produced.with(S, S));
        const d = await TopologyTestDriver.create(b.build());
        try {
          const o = d.createInputTopic('orders', S, S);
          const c = d.createInputTopic('customers', S, S);
          const out = d.createOutputTopic('out', S, S);
          const model = new Model(kind);
          const rnd = seededRandom(seed);
          for (let i = 0; i < 180; i++) {
            const ts = 1000 + i * 10 - pick(rnd, 40);
            if (rnd() < 0.6) {
              const pk = `o${pick(rnd, 12)}`;
              const fk = rnd() < 0.1 ? '' : `c${pick(rnd, 6)}`; // some null foreign keys
              const value = rnd() < 0.2 ? null : `${fk}|${i}`;
              o.pipeInput(pk, value, ts);
              model.order(pk, value, ts);
            } else {
              const fk = `c${pick(rnd, 6)}`;
              const value = rnd() < 0.25 ? null : `C${i}`;
              c.pipeInput(fk, value, ts);
              model.customer(fk, value, ts);
            }
          }
          const got = triples(out);
          expect(model.emitted.length).toBeGreaterThan(100);
          expect(got).toEqual(model.emitted);
          const expected = model.joined();
          expect(replay(got)).toEqual(expected);
          const store = d.getKeyValueStore<string, string>('joined')!;
          expect(new Map([...store.all()].map((kv) => [kv.key, kv.value]))).toEqual(expected);
          if (kind === 'join') expect(d.droppedRecords().null_key_or_value).toBeGreaterThan(0);
        } finally {
          await d.close();
        }
      });
    }

    it(`${kind}, caching on (the defaults): the joined table equals the model's`, async () => {
      const b = new StreamsBuilder();
      const orders = b.table('orders', Consumed.with(S, S));
      const customers = b.table('customers', Consumed.with(S, S));
      fkJoin(kind, orders, customers).toStream().to('out', Produced.with(S, S));
      const d = await TopologyTestDriver.create(b.build());
      try {
        const o = d.createInputTopic('orders', S, S);
        const c = d.createInputTopic('customers', S, S);
        const out = d.createOutputTopic('out', S, S);
        const model = new Model(kind);
        const rnd = seededRandom(5);
        for (let i = 0; i < 120; i++) {
          if (rnd() < 0.6) {
            const pk = `o${pick(rnd, 8)}`;
            const value = rnd() < 0.2 ? null : `c${pick(rnd, 4)}|${i}`;
            o.pipeInput(pk, value, 1000 + i);
            model.order(pk, value, 1000 + i);
          } else {
            const fk = `c${pick(rnd, 4)}`;
            const value = rnd() < 0.25 ? null : `C${i}`;
            c.pipeInput(fk, value, 1000 + i);
            model.customer(fk, value, 1000 + i);
          }
        }
        expect(replay(triples(out))).toEqual(model.joined());
      } finally {
        await d.close();
      }
    });
  }

  it('a foreign-key change unsubscribes the old key: updates of the old customer no longer reach the order', () =>
    withFkJoin('join', ({ o, c, out }) => {
      c.pipeInput('c1', 'Ann', 1);
      c.pipeInput('c2', 'Bob', 2);
      o.pipeInput('o1', 'c1|a', 3);
      o.pipeInput('o1', 'c2|b', 4); // moves to c2
      c.pipeInput('c1', 'Ann2', 5); // no longer subscribed
      c.pipeInput('c2', null, 6); // inner join: the result disappears
      o.pipeInput('o1', 'c3|c', 7); // c3 absent: tombstone (PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE)
      c.pipeInput('c3', 'Cid', 8);
      o.pipeInput('o1', null, 9);
      expect(triples(out)).toEqual([
        ['o1', 'c1|a&Ann', 3],
        ['o1', 'c2|b&Bob', 4],
        ['o1', null, 6],
        ['o1', null, 7],
        ['o1', 'c3|c&Cid', 8],
        ['o1', null, 9],
      ]);
    }));

  it("KAFKA-16394 (apache/kafka#20605): a left join's foreign-key change emits only the new key's result, a delete one tombstone", () =>
    withFkJoin('leftJoin', ({ o, c, out }) => {
      c.pipeInput('c1', 'Ann', 1);
      c.pipeInput('c2', 'Bob', 2);
      o.pipeInput('o1', 'c1|a', 3);
      o.pipeInput('o1', 'c2|b', 4); // moves to c2: not 'c2|b&null' first
      o.pipeInput('o1', 'c3|c', 5); // c3 absent: joined with null
      o.pipeInput('o1', '|d', 6); // a null foreign key: joined with null
      o.pipeInput('o1', 'c1|e', 7);
      o.pipeInput('o1', null, 8); // one tombstone, not two
      o.pipeInput('o1', null, 9); // deleting a deleted row: nothing
      expect(triples(out)).toEqual([
        ['o1', 'c1|a&Ann', 3],
        ['o1', 'c2|b&Bob', 4],
        ['o1', 'c3|c&null', 5],
        ['o1', '|d&null', 6],
        ['o1', 'c1|e&Ann', 7],
        ['o1', null, 8],
      ]);
    }));

  it('an inner join: an update keeping a foreign key whose row is absent emits nothing (the row did not join before either)', () =>
    withFkJoin('join', ({ o, c, out }) => {
      o.pipeInput('o1', 'c1|a', 1); // c1 absent: nothing
      o.pipeInput('o1', 'c1|b', 2); // same key, still absent: nothing (no tombstone)
      c.pipeInput('c1', 'Ann', 3);
      o.pipeInput('o1', 'c1|c', 4);
      c.pipeInput('c1', null, 5);
      o.pipeInput('o1', 'c1|d', 6); // the result was deleted with the customer: nothing
      expect(triples(out)).toEqual([
        ['o1', 'c1|b&Ann', 3],
        ['o1', 'c1|c&Ann', 4],
        ['o1', null, 5],
      ]);
    }));

  it('a response computed for an older value of the row is dropped by the value hash (stale_fk_response)', () =>
    withFkJoin(
      'join',
      ({ d, o, c, out }) => {
        c.pipeInput('c1', 'Ann', 1);
        o.pipeInput('o1', 'c1|old', 2);
        o.pipeInput('o1', 'c1|new', 3);
        expect(triples(out)).toEqual([
          ['o1', 'c1|old&Ann', 2],
          ['o1', 'c1|new&Ann', 3],
        ]);
        // A late response on the response topic, in Kafka Streams' wire format: version byte 0,
        // the MurmurHash3 x64-128 (seed 104729) of the serialized row value, the foreign value.
        const responseTopic = d
          .producedTopicNames()
          .find((t) => /^fk-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-\d{10}-topic$/.test(t))!;
        expect(responseTopic).toBeDefined();
        const response = (rowValue: string, foreign: string) =>
          Buffer.concat([
            Buffer.from([0]),
            Buffer.from(x64.hash128(Buffer.from(rowValue), 104729), 'hex'),
            Buffer.from(foreign),
          ]);
        const raw = d.createInputTopic(responseTopic, S, Serdes.Buffer());
        raw.pipeInput('o1', response('c1|old', 'Stale'), 4);
        expect(out.isEmpty()).toBe(true);
        expect(d.droppedRecords()).toEqual({ stale_fk_response: 1 });
        raw.pipeInput('o1', response('c1|new', 'Fresh'), 5);
        expect(triples(out)).toEqual([['o1', 'c1|new&Fresh', 5]]);
      },
      { applicationId: 'fk' },
    ));

  it("the value hash is Kafka Streams' MurmurHash3 x64-128 (its Murmur3Test vectors, seed 123)", () => {
    const longs = (s: string) => {
      const h = Buffer.from(x64.hash128(Buffer.from(s), 123), 'hex');
      return [h.readBigInt64BE(0), h.readBigInt64BE(8)];
    };
    expect(longs('21')).toEqual([5857341059704281894n, -5288187638297930763n]);
    expect(longs('foobar')).toEqual([-351361463397418609n, 8959716011862540668n]);
    expect(longs('a-little-bit-longer-string')).toEqual([1838346159335108511n, 8794688210320490705n]);
  });

  it('describe(): the internal topics, processors and subscription store named as Kafka Streams names them', () => {
    const b = new StreamsBuilder();
    const left = b.table('input1', Consumed.with(S, S));
    const right = b.table('input2', Consumed.with(S, S));
    left.join(right, fkOf, joiner).toStream().to('output', Produced.with(S, S));
    const desc = b.build().describe().toString();
    for (const line of [
      'Source: KTABLE-SOURCE-0000000016 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic])',
      '--> KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017',
      'Processor: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017 (stores: [input1-STATE-STORE-0000000000])',
      'Processor: KTABLE-FK-JOIN-OUTPUT-0000000018 (stores: [])',
      'Processor: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007 (stores: [])',
      'Processor: KTABLE-TOSTREAM-0000000020 (stores: [])',
      'Sink: KTABLE-SINK-0000000008 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic)',
      'Source: KTABLE-SOURCE-0000000009 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic])',
      'Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010])',
      'Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012 (stores: [input2-STATE-STORE-0000000003])',
      'Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010])',
      'Sink: KTABLE-SINK-0000000015 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic)',
      '<-- KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012, KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013',
    ])
      expect(desc).toContain(line);
    expect(desc.split('Sub-topology').length).toBe(3);
  });

  it('TableJoined.as names the topics, processors and store; Materialized.as makes the result queryable', async () => {
    const b = new StreamsBuilder();
    const orders = b.table('orders', Consumed.with(S, S));
    const customers = b.table('customers', Consumed.with(S, S));
    const result = fkJoin(
      'leftJoin',
      orders,
      customers,
      TableJoined.as('oc'),
      Materialized.as<string, string>('oc-result').withValueSerde(S),
    );
    expect(result.queryableStoreName()).toBe('oc-result');
    const desc = b.build().describe().toString();
    for (const name of [
      'Sink: oc-subscription-registration-sink (topic: oc-subscription-registration-topic)',
      'Source: oc-subscription-registration-source (topics: [oc-subscription-registration-topic])',
      'Processor: oc-subscription-receive (stores: [oc-subscription-store])',
      'Processor: oc-subscription-join-foreign',
      'Processor: oc-foreign-join-subscription (stores: [oc-subscription-store])',
      'Sink: oc-subscription-response-sink (topic: oc-subscription-response-topic)',
      'Processor: oc-subscription-response-resolver',
      'Processor: oc-result (stores: [oc-result])',
    ])
      expect(desc).toContain(name);
    const d = await TopologyTestDriver.create(b.build(), { applicationId: 'app' });
    try {
      d.createInputTopic('orders', S, S).pipeInput('o1', '|x', 1); // null foreign key: (o1, null)
      d.createInputTopic('orders', S, S).pipeInput('o2', 'c9|y', 2);
      const store = d.getKeyValueStore<string, string>('oc-result')!;
      expect(store.get('o1')).toBe('|x&null');
      expect(store.get('o2')).toBe('c9|y&null');
      expect(d.producedTopicNames()).toEqual(
        expect.arrayContaining([
          'app-oc-subscription-registration-topic',
          'app-oc-subscription-response-topic',
          'app-oc-subscription-store-changelog',
        ]),
      );
    } finally {
      await d.close();
    }
  });
});
