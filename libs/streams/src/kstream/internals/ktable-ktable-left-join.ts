import { ValueAndTimestamp } from '../../state/value-and-timestamp';
import { Change } from './change';
import { KTableKTableAbstractJoin, UNKNOWN_TIMESTAMP } from './ktable-ktable-abstract-join';

/**
 * Left table-table join, the left side (Kafka Streams' `KTableKTableLeftJoin`): every update of the
 * left table forwards `joiner(left, right)` (right `null` when absent), a delete forwards `null`;
 * an update carrying neither a new nor an old value is dropped when the right side is absent.
 */
export class KTableKTableLeftJoin<K, V1, V2, VOut> extends KTableKTableAbstractJoin<K, V1, V2, VOut> {
  protected join(change: Change<V1>, other: ValueAndTimestamp<V2> | null, timestamp: number) {
    if (other === null && change.newValue === null && change.oldValue === null) return undefined;
    const right = other?.value ?? null;
    const newValue = change.newValue !== null ? this.joiner(change.newValue, right) : null;
    const oldValue =
      this.sendOldValues && change.oldValue !== null ? this.joiner(change.oldValue, right) : null;
    return {
      change: new Change(newValue, oldValue),
      timestamp: Math.max(timestamp, other?.timestamp ?? UNKNOWN_TIMESTAMP),
    };
  }

  protected joinValues(v1: ValueAndTimestamp<V1> | null, v2: ValueAndTimestamp<V2> | null) {
    if (v1 === null) return null;
    return {
      value: this.joiner(v1.value, v2?.value ?? null),
      timestamp: Math.max(v1.timestamp, v2?.timestamp ?? UNKNOWN_TIMESTAMP),
    };
  }
}
