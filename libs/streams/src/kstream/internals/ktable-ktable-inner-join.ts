import { ValueAndTimestamp } from '../../state/value-and-timestamp';
import { Change } from './change';
import { KTableKTableAbstractJoin } from './ktable-ktable-abstract-join';

/**
 * Inner table-table join, one side (Kafka Streams' `KTableKTableInnerJoin`): an update forwards
 * only while the other table has the key; its new (and, on request, old) joined value, `null` where
 * this side's value is `null`, at the later of both timestamps.
 */
export class KTableKTableInnerJoin<K, V1, V2, VOut> extends KTableKTableAbstractJoin<K, V1, V2, VOut> {
  protected join(change: Change<V1>, other: ValueAndTimestamp<V2> | null, timestamp: number) {
    if (other === null) return undefined;
    const newValue = change.newValue !== null ? this.joiner(change.newValue, other.value) : null;
    const oldValue =
      this.sendOldValues && change.oldValue !== null ? this.joiner(change.oldValue, other.value) : null;
    return { change: new Change(newValue, oldValue), timestamp: Math.max(timestamp, other.timestamp) };
  }

  protected joinValues(v1: ValueAndTimestamp<V1> | null, v2: ValueAndTimestamp<V2> | null) {
    if (v1 === null || v2 === null) return null;
    return { value: this.joiner(v1.value, v2.value), timestamp: Math.max(v1.timestamp, v2.timestamp) };
  }
}
