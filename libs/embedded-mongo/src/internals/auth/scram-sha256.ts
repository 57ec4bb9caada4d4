import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/** MongoDB's default `scramSHA256IterationCount`. */
export const SCRAM_SHA256_ITERATIONS = 15_000;

/** What the server keeps of a SCRAM-SHA-256 password (RFC 5802 section 3): never the password. */
export interface ScramSha256Credential {
  readonly salt: Buffer;
  readonly iterations: number;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

const hmac = (key: Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
const sha256 = (data: Buffer): Buffer => createHash('sha256').update(data).digest();

/**
 * SASLprep (RFC 4013) as the driver applies it to SCRAM-SHA-256 passwords: non-ASCII spaces map to
 * a space, characters "commonly mapped to nothing" are removed, then NFKC. (Identity for ASCII.)
 */
export function saslPrep(password: string): string {
  let out = '';
  for (const ch of password) {
    const c = ch.codePointAt(0)!;
    if (MAPPED_TO_NOTHING(c)) continue;
    out += NON_ASCII_SPACE(c) ? ' ' : ch;
  }
  return out.normalize('NFKC');
}

/** RFC 3454 table C.1.2 (non-ASCII spaces). */
const NON_ASCII_SPACE = (c: number): boolean =>
  c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x3000;

/** RFC 3454 table B.1 (commonly mapped to nothing). */
const MAPPED_TO_NOTHING = (c: number): boolean =>
  c === 0xad ||
  c === 0x34f ||
  c === 0x1806 ||
  (c >= 0x180b && c <= 0x180d) ||
  (c >= 0x200b && c <= 0x200d) ||
  c === 0x2060 ||
  (c >= 0xfe00 && c <= 0xfe0f) ||
  c === 0xfeff;

/** Derives the credential of `password` with a fresh random salt, as `createUser` does. */
export function scramSha256Credential(
  password: string,
  iterations = SCRAM_SHA256_ITERATIONS,
): ScramSha256Credential {
  const salt = randomBytes(28);
  const salted = pbkdf2Sync(Buffer.from(saslPrep(password), 'utf8'), salt, iterations, 32, 'sha256');
  return {
    salt,
    iterations,
    storedKey: sha256(hmac(salted, 'Client Key')),
    serverKey: hmac(salted, 'Server Key'),
  };
}

/** One step of a conversation: the next server message, or the failure (never naming a secret). */
export type ScramStep =
  | { readonly kind: 'continue'; readonly payload: Buffer }
  | { readonly kind: 'done'; readonly payload: Buffer }
  | { readonly kind: 'failed'; readonly reason: string };

/** Parses `k=v,k=v` attributes (values may hold `=`). */
function attributes(s: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of s.split(',')) {
    if (part.length < 2 || part[1] !== '=') throw new Error('malformed SCRAM attribute');
    out.set(part[0]!, part.slice(2));
  }
  return out;
}

/**
 * The server side of one SCRAM-SHA-256 conversation (RFC 5802/7677) as MongoDB runs it over
 * `saslStart` / `saslContinue`: client-first `n,,n=<user>,r=<nonce>`, server-first
 * `r=<nonce+server>,s=<salt>,i=<iterations>`, client-final `c=biws,r=...,p=<proof>`, server-final
 * `v=<signature>`. `lookup` gives the credential of a user name (undefined: unknown user, which
 * fails exactly as a wrong password does).
 */
export class ScramSha256Conversation {
  private state: 'first' | 'final' | 'over' = 'first';
  /** The user named in the client-first message. */
  user = '';
  private credential: ScramSha256Credential | undefined;
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';
  private gs2Header = '';

  constructor(private readonly lookup: (user: string) => ScramSha256Credential | undefined) {}

  step(payload: Buffer): ScramStep {
    try {
      if (this.state === 'first') return this.first(payload.toString('utf8'));
      if (this.state === 'final') return this.final(payload.toString('utf8'));
      return { kind: 'failed', reason: 'the SCRAM conversation is already over' };
    } catch (e) {
      this.state = 'over';
      return { kind: 'failed', reason: `invalid SCRAM message: ${(e as Error).message}` };
    }
  }

  private first(msg: string): ScramStep {
    const first = msg.indexOf(',');
    const second = msg.indexOf(',', first + 1);
    if (first < 0 || second < 0) throw new Error('client-first message has no GS2 header');
    const cbind = msg.slice(0, first);
    if (cbind !== 'n' && cbind !== 'y') throw new Error('channel binding is not supported');
    this.gs2Header = msg.slice(0, second + 1);
    this.clientFirstBare = msg.slice(second + 1);
    const attrs = attributes(this.clientFirstBare);
    const name = attrs.get('n');
    const clientNonce = attrs.get('r');
    if (!name || !clientNonce) throw new Error('client-first message needs n= and r=');
    if (/=(?!2C|3D)/.test(name)) throw new Error('invalid user name encoding');
    this.user = name.replace(/=2C/g, ',').replace(/=3D/g, '=');
    this.credential = this.lookup(this.user);
    this.state = 'over';
    if (!this.credential) return { kind: 'failed', reason: `no such user` };
    this.nonce = clientNonce + randomBytes(24).toString('base64');
    this.serverFirst = `r=${this.nonce},s=${this.credential.salt.toString('base64')},i=${this.credential.iterations}`;
    this.state = 'final';
    return { kind: 'continue', payload: Buffer.from(this.serverFirst, 'utf8') };
  }

  private final(msg: string): ScramStep {
    this.state = 'over';
    const at = msg.lastIndexOf(',p=');
    if (at < 0) throw new Error('client-final message has no proof');
    const withoutProof = msg.slice(0, at);
    const attrs = attributes(withoutProof);
    if (attrs.get('c') !== Buffer.from(this.gs2Header, 'utf8').toString('base64'))
      throw new Error('channel binding attribute does not match');
    if (attrs.get('r') !== this.nonce) throw new Error('nonce mismatch');
    const proof = Buffer.from(msg.slice(at + 3), 'base64');
    const credential = this.credential!;
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const signature = hmac(credential.storedKey, authMessage);
    if (proof.length !== signature.length) return { kind: 'failed', reason: 'wrong password' };
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i]! ^ signature[i]!;
    if (!timingSafeEqual(sha256(clientKey), credential.storedKey))
      return { kind: 'failed', reason: 'wrong password' };
    const serverSignature = hmac(credential.serverKey, authMessage).toString('base64');
    return { kind: 'done', payload: Buffer.from(`v=${serverSignature}`, 'utf8') };
  }
}
