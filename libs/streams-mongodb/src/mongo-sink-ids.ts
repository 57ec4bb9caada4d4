import { createHash } from 'node:crypto';
import type { ObjectId } from 'mongodb';
import { Record, RecordMetadata } from '@gmart/streams';
import { MongoSinkRecordError } from './errors/mongo-sink-error';

/** A document id the sink can write: a non-empty string, a finite number or an `ObjectId`. */
export type MongoDocumentId = string | number | ObjectId;

/**
 * Derives the `_id` of the document written for a record. It must be deterministic: the same
 * input record must give the same id when it is processed again after a crash, so the upsert
 * replaces the first write instead of adding a duplicate.
 *
 * `position` is where the record was read (topic, partition, offset); it is `null` only for records
 * forwarded from a punctuation.
 */
export type MongoIdMapper<K, V> = (record: Record<K, V>, position: RecordMetadata | null) => MongoDocumentId;

/** Ready-made {@link MongoIdMapper}s. */
export const MongoSinkIds = Object.freeze({
  /**
   * `<topic>-<partition>-<offset>` of the input record (the default). Replays of the same input
   * record map to the same document; a record that appears twice in the input topic (an upstream
   * at-least-once duplicate) gives two documents. Use {@link MongoSinkIds.hashOf} to collapse those.
   */
  recordPosition<K, V>(): MongoIdMapper<K, V> {
    return (_record, position) => {
      if (!position)
        throw new MongoSinkRecordError(
          'MongoSinkIds.recordPosition(): the record has no topic/partition/offset (forwarded from a punctuation?); configure an "id" function',
        );
      return `${position.topic}-${position.partition}-${position.offset}`;
    };
  },

  /**
   * The record's own identity: a SHA-256 (first 128 bits, as 22 base64url characters) of the JSON of
   * `identity(record)`, e.g. `r => [r.value.customerId, r.value.purchaseDate, r.value.itemPurchased]`.
   * Identical identities map to one document, wherever and however often they were read.
   * (base64url rather than hex: a hex id holds long digit runs that card-number scanners flag.)
   */
  hashOf<K, V>(identity: (record: Record<K, V>) => unknown): MongoIdMapper<K, V> {
    return (record) => {
      const json = JSON.stringify(identity(record));
      if (json === undefined)
        throw new MongoSinkRecordError('MongoSinkIds.hashOf(): the identity function returned undefined');
      return createHash('sha256').update(json).digest().subarray(0, 16).toString('base64url');
    };
  },
});

/** Checks an id returned by a user function; returns the buffer key for de-duplication. */
export function idKey(id: unknown): string {
  if (typeof id === 'string') {
    if (id.length === 0) throw new MongoSinkRecordError('The id function returned an empty string');
    return `s:${id}`;
  }
  if (typeof id === 'number') {
    if (!Number.isFinite(id))
      throw new MongoSinkRecordError(`The id function returned a non-finite number (${id})`);
    return `n:${id}`;
  }
  if (id && typeof id === 'object' && typeof (id as ObjectId).toHexString === 'function')
    return `o:${(id as ObjectId).toHexString()}`;
  throw new MongoSinkRecordError(
    `The id function must return a non-empty string, a finite number or an ObjectId, got ${id === null ? 'null' : typeof id}`,
  );
}
