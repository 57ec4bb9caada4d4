import { ValueAndTimestamp } from '../../state/value-and-timestamp';
import { Change } from './change';
import { KTableKTableAbstractJoin, UNKNOWN_TIMESTAMP } from './ktable-ktable-abstract-join';

/**
 * The right table's side of a left join (Kafka Streams' `KTableKTableRightJoin`, with the joiner
 * reversed so that it is called `(left, right)`): an update of the right table forwards only while
 * the left table has the key, `joiner(left, right)` with the right value possibly `null` (deleted).
 */
export class KTableKTableRightJoin<K, V1, V2, VOut> extends KTableKTableAbstractJoin<K, V1, V2, VOut> {
  protected join(change: Change<V1>, other: ValueAndTimestamp<V2> | null, timestamp: number) {
    if (other === null) return undefined;
    const newValue = this.joiner(change.newValue, other.value);
    const oldValue = this.sendOldValues ? this.joiner(change.oldValue, other.value) : null;
    return { change: new Change(newValue, oldValue), timestamp: Math.max(timestamp, other.timestamp) };
  }

  protected joinValues(v1: ValueAndTimestamp<V1> | null, v2: ValueAndTimestamp<V2> | null) {
    if (v2 === null) return null;
    return {
      value: this.joiner(v1?.value ?? null, v2.value),
      timestamp: Math.max(v2.timestamp, v1?.timestamp ?? UNKNOWN_TIMESTAMP),
    };
  }
}
