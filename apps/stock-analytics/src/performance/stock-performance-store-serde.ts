import {
  DeserializationError,
  GmartSerdes,
  STOCK_PERFORMANCE_LOOKBACK,
  type StockPerformance,
} from '@gmart/gmart';
import type { Deserializer, Serde, Serializer } from '@gmart/streams';

/** First byte of the binary form (a JSON object starts with `{`, 0x7b). */
const MAGIC = 0xb1;
const HEADER_BYTES = 4;
/** Doubles before the lookbacks: samples, the two currents, the two averages, the two differentials, lastUpdateSent. */
const SCALARS = 8;
const NO_PRICE_AVERAGE = 1;
const NO_VOLUME_AVERAGE = 2;

/** `-0` as `0`, as a JSON round trip gives it. */
const plain = (v: number): number => (v === 0 ? 0 : v);

/** True if the binary form of `v` reads back as `v` itself (finite, not `-0`). */
const readsBackAs = (v: number): boolean => Number.isFinite(v) && !Object.is(v, -0);

/** True if every scalar of `p` reads back as itself and the lookbacks fit (see the deserializer's checks). */
function readsBackExactly(p: StockPerformance): boolean {
  return (
    Number.isSafeInteger(p.samples) &&
    p.samples >= 0 &&
    !Object.is(p.samples, -0) &&
    Number.isSafeInteger(p.lastUpdateSent) &&
    p.lastUpdateSent >= 0 &&
    !Object.is(p.lastUpdateSent, -0) &&
    readsBackAs(p.currentPrice) &&
    readsBackAs(p.currentShareVolume) &&
    (p.currentAveragePrice === null || readsBackAs(p.currentAveragePrice)) &&
    (p.currentAverageVolume === null || readsBackAs(p.currentAverageVolume)) &&
    readsBackAs(p.priceDifferential) &&
    readsBackAs(p.shareDifferential) &&
    Array.isArray(p.sharePriceLookback) &&
    Array.isArray(p.shareSizeLookback) &&
    p.sharePriceLookback.length <= STOCK_PERFORMANCE_LOOKBACK &&
    p.shareSizeLookback.length <= STOCK_PERFORMANCE_LOOKBACK
  );
}

/** `p` as the deserializer builds it (its fields in the schema's order; the lookbacks shared). */
function asRead(p: StockPerformance): StockPerformance {
  return {
    samples: p.samples,
    currentPrice: p.currentPrice,
    currentShareVolume: p.currentShareVolume,
    currentAveragePrice: p.currentAveragePrice,
    currentAverageVolume: p.currentAverageVolume,
    priceDifferential: p.priceDifferential,
    shareDifferential: p.shareDifferential,
    sharePriceLookback: p.sharePriceLookback,
    shareSizeLookback: p.shareSizeLookback,
    lastUpdateSent: p.lastUpdateSent,
  };
}

/**
 * How many of the last written buffers {@link RecentlyWritten} remembers: the trade after a symbol's
 * last one reads back the buffer written for it then, a few dozen writes earlier with the generator's
 * 24 symbols (a miss only decodes the doubles).
 */
export const RECENTLY_WRITTEN = 128;

/**
 * What the last {@link RECENTLY_WRITTEN} buffers the serializer wrote read back as: the store hands
 * the processor back the very buffer it wrote for a symbol (the record cache keeps it), so the trade
 * after it needs no read of the ~40 doubles. Only values that read back exactly are remembered
 * (finite numbers, no `-0`, whole `samples` and `lastUpdateSent`, at most 20 samples each); the
 * arrays are shared with the written value (a StockPerformance is never modified), and written
 * buffers are never modified either (the store layers only read and copy them).
 * A ring of strong references, found by identity: a
 * `WeakMap` keyed by the buffers made every value (and its two lookback arrays) survive V8's young
 * collections, which treat a young key's entry as live, so each trade's value was copied and promoted
 * (most of the process's surviving bytes per trade), to die in the old generation.
 */
class RecentlyWritten {
  private readonly buffers: Array<Buffer | undefined> = new Array(RECENTLY_WRITTEN).fill(undefined);
  private readonly values: Array<StockPerformance | undefined> = new Array(RECENTLY_WRITTEN).fill(undefined);
  /** Where the next buffer goes; the newest is just before it. */
  private next = 0;

  remember(buffer: Buffer, value: StockPerformance): void {
    this.buffers[this.next] = buffer;
    this.values[this.next] = value;
    this.next = (this.next + 1) % RECENTLY_WRITTEN;
  }

  /** What `buffer` reads back as if it is one of the last buffers written (newest first), else undefined. */
  find(buffer: Buffer): StockPerformance | undefined {
    const buffers = this.buffers;
    for (let i = this.next - 1; i >= 0; i--) if (buffers[i] === buffer) return this.values[i];
    for (let i = RECENTLY_WRITTEN - 1; i >= this.next; i--) if (buffers[i] === buffer) return this.values[i];
    return undefined;
  }
}

/**
 * The performance store's value serde: a {@link StockPerformance} as 4 header bytes (marker
 * `0xb1`, which averages are null, the two lookback lengths) then little-endian doubles (samples,
 * currentPrice, currentShareVolume, the averages, the differentials, lastUpdateSent, the price and
 * the volume lookbacks): ~390 bytes written and read field by field, without JSON, on every trade
 * (the processor reads and rewrites the symbol's value per trade). Reads give exactly what the
 * JSON serde would (the same numbers, `-0` as `0`, `null` averages); a value starting with `{` is
 * the JSON an earlier version wrote (its changelog is read back on restore) and goes through
 * `GmartSerdes.StockPerformance`. Anything else is a {@link DeserializationError}. The
 * `stock-performance` topic keeps the JSON form.
 */
export function stockPerformanceStoreSerde(): Serde<StockPerformance> {
  const json = GmartSerdes.StockPerformance({ validateOnSerialize: false }).deserializer();
  const written = new RecentlyWritten();
  const serializer: Serializer<StockPerformance> = {
    serialize(_topic: string, p: StockPerformance | null): Buffer | null {
      if (p === null || p === undefined) return null;
      const prices = p.sharePriceLookback;
      const volumes = p.shareSizeLookback;
      const out = Buffer.allocUnsafe(HEADER_BYTES + 8 * (SCALARS + prices.length + volumes.length));
      out[0] = MAGIC;
      out[1] =
        (p.currentAveragePrice === null ? NO_PRICE_AVERAGE : 0) |
        (p.currentAverageVolume === null ? NO_VOLUME_AVERAGE : 0);
      out[2] = prices.length;
      out[3] = volumes.length;
      // little-endian doubles through one DataView (the engine inlines its accessors)
      const view = new DataView(out.buffer, out.byteOffset, out.length);
      view.setFloat64(HEADER_BYTES, plain(p.samples), true);
      view.setFloat64(HEADER_BYTES + 8, plain(p.currentPrice), true);
      view.setFloat64(HEADER_BYTES + 16, plain(p.currentShareVolume), true);
      view.setFloat64(HEADER_BYTES + 24, plain(p.currentAveragePrice ?? 0), true);
      view.setFloat64(HEADER_BYTES + 32, plain(p.currentAverageVolume ?? 0), true);
      view.setFloat64(HEADER_BYTES + 40, plain(p.priceDifferential), true);
      view.setFloat64(HEADER_BYTES + 48, plain(p.shareDifferential), true);
      view.setFloat64(HEADER_BYTES + 56, plain(p.lastUpdateSent), true);
      let at = HEADER_BYTES + 8 * SCALARS;
      let exact = true;
      for (let i = 0; i < prices.length; i++, at += 8) {
        const v = prices[i]!;
        view.setFloat64(at, plain(v), true);
        if (!readsBackAs(v)) exact = false;
      }
      for (let i = 0; i < volumes.length; i++, at += 8) {
        const v = volumes[i]!;
        view.setFloat64(at, plain(v), true);
        if (!readsBackAs(v)) exact = false;
      }
      if (exact && readsBackExactly(p)) written.remember(out, asRead(p));
      return out;
    },
  };
  const deserializer: Deserializer<StockPerformance> = {
    deserialize(topic: string, data: Buffer | null): StockPerformance | null {
      if (data === null || data === undefined) return null;
      const known = written.find(data);
      if (known !== undefined) return known;
      if (data.length > 0 && data[0] === 0x7b) return json.deserialize(topic, data);
      const bad = (reason: string) =>
        new DeserializationError(`StockPerformance on topic "${topic}" is invalid: ${reason}`, { topic });
      if (data.length < HEADER_BYTES || data[0] !== MAGIC)
        throw bad(`neither JSON nor the store's binary form (${data.length} bytes)`);
      const flags = data[1]!;
      const np = data[2]!;
      const nv = data[3]!;
      if (
        flags > (NO_PRICE_AVERAGE | NO_VOLUME_AVERAGE) ||
        np > STOCK_PERFORMANCE_LOOKBACK ||
        nv > STOCK_PERFORMANCE_LOOKBACK ||
        data.length !== HEADER_BYTES + 8 * (SCALARS + np + nv)
      )
        throw bad(`malformed binary form (${data.length} bytes)`);
      let at = HEADER_BYTES;
      const view = new DataView(data.buffer, data.byteOffset, data.length);
      const next = () => {
        const v = view.getFloat64(at, true);
        at += 8;
        if (!Number.isFinite(v)) throw bad('a number is not finite');
        return v;
      };
      const samples = next();
      const currentPrice = next();
      const currentShareVolume = next();
      const averagePrice = next();
      const averageVolume = next();
      const priceDifferential = next();
      const shareDifferential = next();
      const lastUpdateSent = next();
      if (!Number.isSafeInteger(samples) || samples < 0) throw bad('samples: must be a whole number >= 0');
      if (!Number.isSafeInteger(lastUpdateSent) || lastUpdateSent < 0)
        throw bad('lastUpdateSent: must be epoch ms');
      const sharePriceLookback: number[] = [];
      for (let i = 0; i < np; i++) sharePriceLookback.push(next());
      const shareSizeLookback: number[] = [];
      for (let i = 0; i < nv; i++) shareSizeLookback.push(next());
      return {
        samples,
        currentPrice,
        currentShareVolume,
        currentAveragePrice: flags & NO_PRICE_AVERAGE ? null : averagePrice,
        currentAverageVolume: flags & NO_VOLUME_AVERAGE ? null : averageVolume,
        priceDifferential,
        shareDifferential,
        sharePriceLookback,
        shareSizeLookback,
        lastUpdateSent,
      };
    },
  };
  return { serializer: () => serializer, deserializer: () => deserializer };
}
