import { UndecodableBatchError } from '../../errors/undecodable-batch-error';
import type { FetchedRecord } from '../kafka-client';
import { platformaticKafka } from './platformatic-module';

/** Set on the error a codec threw while the client decompressed a fetched batch. */
const UNDECODABLE = Symbol('gmart.undecodableBatch');

/** A decompression failure: the codec's name and its error. */
export interface DecompressionFailure {
  readonly codec: string;
  readonly error: unknown;
}

let installed = false;

/**
 * The client decompresses fetched batches while parsing a fetch response, so one corrupt batch
 * fails the whole response. Its codecs' `decompressSync` are wrapped once so that such a failure is
 * recognisable ({@link decompressionFailure}) and names the codec.
 */
export function tagDecompressionFailures(): void {
  if (installed) return;
  installed = true;
  // The package declares the codecs readonly: this view lets their decompressSync be replaced.
  const algorithms: Record<string, { decompressSync(data: Buffer): Buffer }> =
    platformaticKafka().compressionsAlgorithms;
  for (const [codec, algorithm] of Object.entries(algorithms)) {
    const decompress = algorithm.decompressSync.bind(algorithm);
    algorithm.decompressSync = (data: Buffer) => {
      try {
        return decompress(data);
      } catch (error) {
        const tagged: Error & { [UNDECODABLE]?: DecompressionFailure } = new Error(
          `${codec} decompression failed: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
        tagged[UNDECODABLE] = { codec, error };
        throw tagged;
      }
    };
  }
}

/** The decompression failure in `error` or its causes / aggregated errors, if any. */
export function decompressionFailure(error: unknown): DecompressionFailure | undefined {
  const seen = new Set<unknown>();
  const walk = (e: unknown): DecompressionFailure | undefined => {
    if (!e || typeof e !== 'object' || seen.has(e)) return undefined;
    seen.add(e);
    const tag = (e as Record<symbol, DecompressionFailure | undefined>)[UNDECODABLE];
    if (tag) return tag;
    const o = e as { errors?: unknown[]; cause?: unknown };
    for (const inner of o.errors ?? []) {
      const found = walk(inner);
      if (found) return found;
    }
    return walk(o.cause);
  };
  return walk(error);
}

/**
 * The undecodable batch at `from` of a partition: `fetchAt(offset)` fetches the one batch holding
 * `offset` (the broker returns whole batches) and resolves with the decompression failure, or
 * undefined when it decodes (or nothing is there: `offset` at the end). The batch's last offset is
 * the one before the first offset that decodes, found by doubling then halving the distance. The
 * result stands for the whole batch, as the kafkajs client reports one: one record at its last
 * offset, for the runtime's deserialization handler.
 */
export async function undecodableRecord(
  topic: string,
  partition: number,
  from: number,
  end: number,
  first: DecompressionFailure,
  fetchAt: (offset: number) => Promise<DecompressionFailure | undefined>,
): Promise<FetchedRecord> {
  // Invariant: fetchAt(bad) fails, fetchAt(good) decodes (or good >= end).
  let bad = from;
  let step = 1;
  let good = Math.min(from + step, end);
  while (good < end && (await fetchAt(good))) {
    bad = good;
    step *= 2;
    good = Math.min(from + step, end);
  }
  while (good - bad > 1) {
    const mid = Math.floor((bad + good) / 2);
    if (await fetchAt(mid)) bad = mid;
    else good = mid;
  }
  return {
    offset: bad,
    timestamp: -1,
    key: null,
    value: null,
    headers: {},
    undecodable: new UndecodableBatchError(topic, partition, from, bad, first.codec, first.error),
  };
}
