import type { z } from 'zod';
import { redact } from '../cards/redact';
import { DeserializationError, ModelSerializationError } from '../errors/deserialization-error';
import type { Deserializer, Serde, Serializer } from '@gmart/streams';

/** What {@link validatingJsonSerde} needs to know about a model. */
export interface ModelSpec<T, J> {
  /** Model name used in error messages (`Purchase`). */
  readonly name: string;
  /** Schema that reads the JSON form into the model (may normalise, e.g. dates). */
  readonly input: z.ZodType<T>;
  /** Schema that checks a model before writing it. */
  readonly output: z.ZodType<T>;
  /** The JSON form of a valid model. */
  readonly toJson: (value: T) => J;
  /**
   * The JSON form's bytes written directly: exactly `Buffer.from(JSON.stringify(toJson(value)),
   * 'utf8')` (and the same errors), cheaper. Used on serialize when given.
   */
  readonly toJsonBytes?: (value: T) => Buffer;
  /** Check values on serialize as well (default true). */
  readonly validateOnSerialize?: boolean;
  /**
   * What reading a null value (a tombstone) gives: `'pass'` (default) returns `null`, as Kafka's
   * deserializers do; `'reject'` throws a {@link DeserializationError} saying so, for topics of
   * events, where a null value is bad input (it then goes to the dead-letter topic with the reason).
   */
  readonly nullValues?: 'pass' | 'reject';
  /**
   * A fast reader of the parsed JSON, tried before the schema: returns the value exactly as
   * `input` would when the JSON is plainly valid, `undefined` otherwise (the schema then reads it
   * and names any problem). Skips the schema's per-record cost on the hot path.
   */
  readonly fastInput?: (json: unknown) => T | undefined;
  /**
   * A reader of the bytes themselves, tried before anything else: returns exactly what the
   * deserializer returns for them when they are in the model's canonical form and plainly valid,
   * `undefined` otherwise (they are then parsed and read as usual). Skips the JSON parse.
   */
  readonly scanInput?: (bytes: Buffer) => T | undefined;
  /**
   * The same for `output` on serialize (a model whose input and output schemas are one can use
   * its `fastInput`): the value exactly as `output` would give it when plainly valid, else
   * `undefined` (the schema then checks it).
   */
  readonly fastOutput?: (value: T) => T | undefined;
  /** A check run on each value read after the schema; returns the bad field and why, or nothing. */
  readonly check?: (value: T) => { readonly field: string; readonly reason: string } | undefined;
}

/** Describes the first issue of a failed parse as `field: reason`, without the offending value. */
function describe(error: z.ZodError): { field: string | undefined; text: string } {
  const first = error.issues[0];
  if (!first) return { field: undefined, text: 'invalid' };
  const field = first.path.length > 0 ? first.path.map(String).join('.') : undefined;
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more issue(s))` : '';
  // Messages come from our schemas and zod's defaults, which state expectations, not values;
  // redact anyway so a future schema message cannot leak a card number.
  const text = redact(`${field ?? '(value)'}: ${first.message}${more}`);
  return { field, text };
}

/**
 * A JSON serde that validates with a zod schema. Deserializing malformed JSON or a value that
 * breaks the schema throws a {@link DeserializationError} naming the model, the topic and the
 * first bad field (never the value); serializing an invalid value throws a
 * {@link ModelSerializationError}. `null` passes through both ways (tombstones) unless
 * `nullValues: 'reject'`.
 */
export function validatingJsonSerde<T, J>(spec: ModelSpec<T, J>): Serde<T> {
  const validateOnSerialize = spec.validateOnSerialize ?? true;
  const rejectNull = spec.nullValues === 'reject';
  const fastInput = spec.fastInput;
  const scanInput = spec.scanInput;
  const fastOutput = spec.fastOutput;
  const toJsonBytes =
    spec.toJsonBytes ?? ((value: T) => Buffer.from(JSON.stringify(spec.toJson(value)), 'utf8'));
  const serializer: Serializer<T> = {
    serialize(topic: string, data: T | null): Buffer | null {
      if (data === null || data === undefined) return null;
      let value: T = data;
      if (validateOnSerialize) {
        const fast = fastOutput?.(data);
        if (fast !== undefined) return toJsonBytes(fast);
        const parsed = spec.output.safeParse(data);
        if (!parsed.success) {
          const { field, text } = describe(parsed.error);
          throw new ModelSerializationError(`${spec.name} for topic "${topic}" is invalid: ${text}`, {
            topic,
            field,
          });
        }
        value = parsed.data;
      }
      return toJsonBytes(value);
    },
  };
  const deserializer: Deserializer<T> = {
    deserialize(topic: string, data: Buffer | null): T | null {
      if (data === null || data === undefined) {
        if (!rejectNull) return null;
        throw new DeserializationError(
          `${spec.name} on topic "${topic}" is a null value (tombstone): this topic carries ${spec.name} events, not deletes`,
          { topic },
        );
      }
      const scanned = scanInput?.(data);
      if (scanned !== undefined) {
        const bad = spec.check?.(scanned);
        if (bad === undefined) return scanned;
      }
      let json: unknown;
      try {
        json = JSON.parse(data.toString('utf8'));
      } catch {
        // The SyntaxError's message quotes the input, which may hold a card number: not kept.
        throw new DeserializationError(
          `${spec.name} on topic "${topic}" is not valid JSON (${data.length} bytes)`,
          { topic },
        );
      }
      let value = fastInput?.(json);
      if (value === undefined) {
        const parsed = spec.input.safeParse(json);
        if (!parsed.success) {
          const { field, text } = describe(parsed.error);
          throw new DeserializationError(`${spec.name} on topic "${topic}" is invalid: ${text}`, {
            topic,
            field,
          });
        }
        value = parsed.data;
      }
      const bad = spec.check?.(value);
      if (bad) {
        throw new DeserializationError(
          `${spec.name} on topic "${topic}" is invalid: ${bad.field}: ${bad.reason}`,
          { topic, field: bad.field },
        );
      }
      return value;
    },
  };
  return { serializer: () => serializer, deserializer: () => deserializer };
}
