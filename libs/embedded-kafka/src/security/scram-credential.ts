import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/** Hash of a SCRAM mechanism. */
export type ScramHash = 'sha256' | 'sha512';

/** What a SCRAM server keeps of a password (RFC 5802 section 3): never the password itself. */
export interface ScramCredential {
  readonly salt: Buffer;
  readonly iterations: number;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

/** Kafka's minimum (and `kafka-configs`' default) SCRAM iteration count. */
export const SCRAM_ITERATIONS = 4096;

export const hmac = (hash: ScramHash, key: Buffer, data: string | Buffer): Buffer =>
  createHmac(hash, key).update(data).digest();

export const digest = (hash: ScramHash, data: Buffer): Buffer => createHash(hash).update(data).digest();

/** Derives the SCRAM credential of `password` with a fresh random salt. */
export function scramCredential(
  hash: ScramHash,
  password: string,
  iterations = SCRAM_ITERATIONS,
): ScramCredential {
  const salt = randomBytes(24);
  const salted = pbkdf2Sync(
    Buffer.from(password, 'utf8'),
    salt,
    iterations,
    hash === 'sha256' ? 32 : 64,
    hash,
  );
  return {
    salt,
    iterations,
    storedKey: digest(hash, hmac(hash, salted, 'Client Key')),
    serverKey: hmac(hash, salted, 'Server Key'),
  };
}
