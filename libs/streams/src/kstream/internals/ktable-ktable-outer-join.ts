import { ValueAndTimestamp } from '../../state/value-and-timestamp';
import { Change } from './change';
import { KTableKTableAbstractJoin, UNKNOWN_TIMESTAMP } from './ktable-ktable-abstract-join';

/**
 * Outer table-table join, either side (Kafka Streams' `KTableKTableOuterJoin`): an update forwards
 * `joiner(this, other)` with the absent side `null`, and `null` once neither side has the key.
 */
export class KTableKTableOuterJoin<K, V1, V2, VOut> extends KTableKTableAbstractJoin<K, V1, V2, VOut> {
  protected join(change: Change<V1>, other: ValueAndTimestamp<V2> | null, timestamp: number) {
    if (other === null && change.newValue === null && change.oldValue === null) return undefined;
    const right = other?.value ?? null;
    const newValue = right !== null || change.newValue !== null ? this.joiner(change.newValue, right) : null;
    const oldValue =
      this.sendOldValues && (right !== null || change.oldValue !== null)
        ? this.joiner(change.oldValue, right)
        : null;
    return {
      change: new Change(newValue, oldValue),
      timestamp: Math.max(timestamp, other?.timestamp ?? UNKNOWN_TIMESTAMP),
    };
  }

  protected joinValues(v1: ValueAndTimestamp<V1> | null, v2: ValueAndTimestamp<V2> | null) {
    if (v1 === null && v2 === null) return null;
    return {
      value: this.joiner(v1?.value ?? null, v2?.value ?? null),
      timestamp: Math.max(v1?.timestamp ?? UNKNOWN_TIMESTAMP, v2?.timestamp ?? UNKNOWN_TIMESTAMP),
    };
  }
}
