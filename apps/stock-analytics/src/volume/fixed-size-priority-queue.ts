import { type ShareVolume, ShareVolumeSchema } from '@gmart/gmart';
import { type Serde, Serdes } from '@gmart/streams';
import { z } from 'zod';

/** Symbols shown per industry (the seed's top 5). */
export const TOP_N = 5;

/** Higher volume first; equal volumes by symbol, so no two symbols ever compare equal. */
function byVolume(a: ShareVolume, b: ShareVolume): number {
  return b.shares - a.shares || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0);
}

/**
 * The seed's `FixedSizePriorityQueue` of `ShareVolume`s, the aggregate of the top-N by industry
 * (`KGroupedTable.aggregate` with `add` as the adder and `remove` as the subtractor). Immutable.
 *
 * The seed's version evicts everything past the 5th entry, which makes it wrong as soon as the
 * subtractor removes one of the five (the 6th, evicted earlier, cannot come back). This one keeps
 * every symbol of the industry, ordered by volume (at most as many entries as the industry has
 * symbols), and bounds what it shows: {@link top} is the first `maxSize`.
 */
export class FixedSizePriorityQueue {
  private constructor(
    private readonly entries: readonly ShareVolume[],
    readonly maxSize: number,
  ) {}

  static empty(maxSize = TOP_N): FixedSizePriorityQueue {
    return new FixedSizePriorityQueue([], maxSize);
  }

  static of(entries: readonly ShareVolume[], maxSize = TOP_N): FixedSizePriorityQueue {
    return new FixedSizePriorityQueue([...entries].sort(byVolume), maxSize);
  }

  /** The adder: `v` replaces any entry of its symbol. */
  add(v: ShareVolume): FixedSizePriorityQueue {
    return FixedSizePriorityQueue.of([...this.entries.filter((e) => e.symbol !== v.symbol), v], this.maxSize);
  }

  /** The subtractor: drops the entry of `v`'s symbol. */
  remove(v: ShareVolume): FixedSizePriorityQueue {
    return new FixedSizePriorityQueue(
      this.entries.filter((e) => e.symbol !== v.symbol),
      this.maxSize,
    );
  }

  /** The `maxSize` symbols with the highest volume, highest first. */
  top(): ShareVolume[] {
    return this.entries.slice(0, this.maxSize);
  }

  /** Every entry, highest volume first. */
  all(): ShareVolume[] {
    return [...this.entries];
  }
}

const QueueJsonSchema = z.array(ShareVolumeSchema);

/** Serde of the aggregate in its store and repartition/changelog topics: the entries as a JSON array. */
export function fixedSizePriorityQueueSerde(): Serde<FixedSizePriorityQueue> {
  const json = Serdes.Json<ShareVolume[]>((v) => QueueJsonSchema.parse(v));
  return {
    serializer: () => ({
      serialize: (topic, q) =>
        q === null || q === undefined ? null : json.serializer().serialize(topic, q.all()),
    }),
    deserializer: () => ({
      deserialize: (topic, data) => {
        const entries = json.deserializer().deserialize(topic, data);
        return entries === null ? null : FixedSizePriorityQueue.of(entries);
      },
    }),
  };
}

/** What `stock-volume-by-industry` carries: the industry and its top symbols by volume. */
export const IndustryTopSchema = z.object({ industry: z.string().min(1), top: z.array(ShareVolumeSchema) });

/** A record of `stock-volume-by-industry`. */
export type IndustryTop = z.infer<typeof IndustryTopSchema>;

/** JSON serde of {@link IndustryTop}, validating what it reads. */
export function industryTopSerde(): Serde<IndustryTop> {
  return Serdes.Json<IndustryTop>((v) => IndustryTopSchema.parse(v));
}
