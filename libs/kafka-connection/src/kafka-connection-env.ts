import { z } from 'zod';
import { SASL_MECHANISMS } from './kafka-connection-settings';

const HOST_PORT = /^[^\s:,]+:\d{1,5}$/;
const BROKERS = 'a comma-separated list of host:port';

const optionalString = (description: string) =>
  z.string().trim().min(1, 'must not be empty').optional().describe(description);

/**
 * The Kafka connection variables as a zod shape over the raw strings, keyed by variable name.
 * Messages say what is expected and never echo a value. `KAFKA_BROKERS` is required.
 */
export function kafkaConnectionEnvShape() {
  return {
    KAFKA_BROKERS: z
      .string({
        error: (iss) => (iss.input === undefined ? `is required (${BROKERS})` : `must be ${BROKERS}`),
      })
      .transform((v) =>
        v
          .split(',')
          .map((b) => b.trim())
          .filter((b) => b.length > 0),
      )
      .pipe(
        z
          .array(z.string().regex(HOST_PORT, `must be ${BROKERS}`))
          .min(1, `must be ${BROKERS}`)
          .refine(
            (bs) => bs.every((b) => Number(b.slice(b.lastIndexOf(':') + 1)) <= 65535),
            `must be ${BROKERS} (port at most 65535)`,
          ),
      )
      .describe('Kafka bootstrap servers, comma-separated host:port'),
    KAFKA_SSL: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(['true', 'false'], 'must be true or false'))
      .default('false')
      .transform((v) => v === 'true')
      .describe('Connect to Kafka with TLS'),
    KAFKA_SSL_CA_FILE: optionalString(
      "PEM file of the CA(s) that signed the brokers' certificates (needs KAFKA_SSL=true; unset: the system CAs)",
    ),
    KAFKA_SSL_CERT_FILE: optionalString(
      'PEM client certificate for mutual TLS (needs KAFKA_SSL=true and KAFKA_SSL_KEY_FILE)',
    ),
    KAFKA_SSL_KEY_FILE: optionalString(
      'PEM private key of KAFKA_SSL_CERT_FILE (needs KAFKA_SSL=true and KAFKA_SSL_CERT_FILE)',
    ),
    KAFKA_SSL_SERVERNAME: optionalString(
      "Name checked against the brokers' certificates (SNI) instead of each broker's host (needs KAFKA_SSL=true)",
    ),
    KAFKA_SASL_MECHANISM: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(SASL_MECHANISMS, `must be one of ${SASL_MECHANISMS.join(', ')}`))
      .optional()
      .describe('SASL mechanism (unset: no SASL)'),
    KAFKA_SASL_USERNAME: optionalString('SASL user name (required with KAFKA_SASL_MECHANISM)'),
    KAFKA_SASL_PASSWORD: z
      .string()
      .min(1, 'must not be empty')
      .optional()
      .describe('SASL password (required with KAFKA_SASL_MECHANISM; never logged)'),
  };
}

/** The connection variables' names, in the order of the README tables. */
export const KAFKA_CONNECTION_VARIABLES = Object.keys(
  kafkaConnectionEnvShape(),
) as readonly (keyof ReturnType<typeof kafkaConnectionEnvShape>)[];
