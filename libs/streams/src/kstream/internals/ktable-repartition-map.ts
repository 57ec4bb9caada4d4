import { Record } from '../../processor/record';
import { StreamsError } from '../../errors/streams-error';
import { KeyValueLike, KeyValueMapper } from '../kstream';
import { Change } from './change';
import { ContextualProcessor } from './contextual-processor';
import { ProcessorSupplier } from '../../processor/processor';
import { ProcessorContext } from '../../processor/processor-context';
import { DeferredSerde } from './deferred-serde';
import { bindDefaultSerdes } from './dsl-context';

/** True for the `[key, value]` form of a {@link KeyValueLike}. */
function isTuple<K, V>(kv: KeyValueLike<K, V>): kv is readonly [K, V] {
  return Array.isArray(kv);
}

function pairOf<K, V>(kv: KeyValueLike<K, V> | null | undefined): { key: K; value: V } | null {
  if (kv === null || kv === undefined) return null;
  // read out at once (a selector may hand back one object it changes on every call); no array per row
  let key: K;
  let value: V;
  if (isTuple(kv)) {
    key = kv[0];
    value = kv[1];
  } else {
    key = kv.key;
    value = kv.value;
  }
  return key === null || key === undefined || value === null || value === undefined ? null : { key, value };
}

/**
 * `KTable.groupBy`'s selector (Kafka Streams' `KTableRepartitionMap`): maps the old and the new row
 * to their group keys. Same group: one `Change(new, old)`; different groups: the old value to its
 * group first as `Change(null, old)` (to be subtracted), then the new one as `Change(new, null)`.
 * Rows whose selected key or value is null are skipped.
 */
export class KTableRepartitionMap<K, V, KR, VR> implements ProcessorSupplier<K, Change<V>, KR, Change<VR>> {
  constructor(
    private readonly selector: KeyValueMapper<K, V, KeyValueLike<KR, VR>>,
    /** The repartition topic's value serde, bound to the default value serde at start when not given. */
    private readonly valueSerde: DeferredSerde<VR>,
  ) {}

  get(): ContextualProcessor<K, Change<V>, KR, Change<VR>> {
    const { selector, valueSerde } = this;
    return new (class extends ContextualProcessor<K, Change<V>, KR, Change<VR>> {
      override init(context: ProcessorContext<KR, Change<VR>>): void {
        super.init(context);
        bindDefaultSerdes(context, undefined, valueSerde);
      }

      process(record: Record<K, Change<V>>): void {
        if (record.key === null || record.key === undefined)
          throw new StreamsError('Record key for the grouping KTable should not be null');
        const change = record.value;
        const newPair = change.newValue === null ? null : pairOf(selector(record.key, change.newValue));
        const oldPair = change.oldValue === null ? null : pairOf(selector(record.key, change.oldValue));
        // One record per forward (as record.withKey(k).withValue(v), without the record in between)
        const { timestamp, headers } = record;
        if (newPair && oldPair && sameKey(oldPair.key, newPair.key)) {
          this.context.forward(
            new Record(newPair.key, new Change(newPair.value, oldPair.value), timestamp, headers),
          );
          return;
        }
        if (oldPair)
          this.context.forward(
            new Record(oldPair.key, new Change<VR>(null, oldPair.value), timestamp, headers),
          );
        if (newPair)
          this.context.forward(
            new Record(newPair.key, new Change<VR>(newPair.value, null), timestamp, headers),
          );
      }
    })();
  }
}

function sameKey(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null)
    return JSON.stringify(a) === JSON.stringify(b);
  return false;
}
