import type { Purchase } from '@gmart/gmart';
import type { StreamPartitioner } from '@gmart/streams';

/**
 * Java's `String.hashCode()` (UTF-16 code units, 32-bit overflow), the hash the book's
 * `RewardsStreamPartitioner` uses.
 */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * The seed's `RewardsStreamPartitioner`: every purchase of a customer goes to the same partition
 * of `customer_transactions`, chosen from `customerId.hashCode()`. Unlike the book's
 * `hashCode() % numPartitions`, which is negative for half the ids, the partition is the floor
 * modulo, always in `[0, numPartitions)`.
 */
export class RewardsStreamPartitioner implements StreamPartitioner<string, Pick<Purchase, 'customerId'>> {
  partition(
    _topic: string,
    _key: string,
    value: Pick<Purchase, 'customerId'>,
    numPartitions: number,
  ): number {
    return RewardsStreamPartitioner.partitionFor(value.customerId, numPartitions);
  }

  /** The partition of a customer id among `numPartitions` (a positive integer). */
  static partitionFor(customerId: string, numPartitions: number): number {
    if (!Number.isInteger(numPartitions) || numPartitions < 1) {
      throw new RangeError(`numPartitions must be a positive integer, got ${numPartitions}`);
    }
    // floor modulo; `+ numPartitions` also turns the -0 of Integer.MIN_VALUE % 2 into 0
    return ((javaStringHashCode(customerId) % numPartitions) + numPartitions) % numPartitions;
  }
}
