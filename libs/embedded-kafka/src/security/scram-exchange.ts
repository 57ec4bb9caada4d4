import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { SaslExchange, SaslStep } from './sasl-exchange';
import { digest, hmac, type ScramCredential, type ScramHash } from './scram-credential';

/** Parses `k=v,k=v` attributes (values may contain `=`). */
function attributes(s: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of s.split(',')) {
    if (part.length < 2 || part[1] !== '=') throw new Error(`invalid SCRAM attribute "${part.slice(0, 20)}"`);
    out.set(part[0]!, part.slice(2));
  }
  return out;
}

/** SCRAM `saslname` decoding: `=2C` is `,`, `=3D` is `=`; any other `=` is invalid. */
function decodeName(s: string): string {
  if (/=(?!2C|3D)/.test(s)) throw new Error('invalid username encoding');
  return s.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

/**
 * SASL/SCRAM-SHA-256 and -512 (RFC 5802/7677) as Kafka's `ScramSaslServer`: client-first
 * (`n,,n=user,r=nonce`), server-first (`r=nonce+server,s=salt,i=iterations`), client-final
 * (`c=biws,r=...,p=proof`), server-final (`v=signature`). Channel binding is not supported, as in
 * Kafka. Any credential problem (unknown user, wrong password) gets the same message.
 */
export class ScramExchange implements SaslExchange {
  private state: 'first' | 'final' | 'over' = 'first';
  private user = '';
  private credential: ScramCredential | undefined;
  private gs2Header = '';
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';

  constructor(
    private readonly mechanism: string,
    private readonly hash: ScramHash,
    private readonly credentials: ReadonlyMap<string, ScramCredential>,
  ) {}

  private get invalidCredentials(): SaslStep {
    return {
      kind: 'failed',
      message: `Authentication failed during authentication due to invalid credentials with SASL mechanism ${this.mechanism}`,
    };
  }

  step(token: Buffer): SaslStep {
    try {
      if (this.state === 'first') return this.first(token.toString('utf8'));
      if (this.state === 'final') return this.final(token.toString('utf8'));
      return { kind: 'failed', message: 'Unexpected SCRAM message after the exchange completed' };
    } catch (err) {
      this.state = 'over';
      return { kind: 'failed', message: `Invalid SCRAM message: ${(err as Error).message}` };
    }
  }

  private first(msg: string): SaslStep {
    const firstComma = msg.indexOf(',');
    const secondComma = msg.indexOf(',', firstComma + 1);
    if (firstComma < 0 || secondComma < 0) throw new Error('client-first-message has no GS2 header');
    const cbind = msg.slice(0, firstComma);
    if (cbind !== 'n' && cbind !== 'y') throw new Error('channel binding is not supported');
    this.gs2Header = msg.slice(0, secondComma + 1);
    this.clientFirstBare = msg.slice(secondComma + 1);
    const attrs = attributes(this.clientFirstBare);
    if (attrs.has('m')) throw new Error('mandatory extensions are not supported');
    const name = attrs.get('n');
    const clientNonce = attrs.get('r');
    if (!name || !clientNonce) throw new Error('client-first-message needs n= and r=');
    this.user = decodeName(name);
    this.credential = this.credentials.get(this.user);
    this.state = 'over';
    if (!this.credential) return this.invalidCredentials;
    this.nonce = clientNonce + randomBytes(18).toString('base64url');
    this.serverFirst = `r=${this.nonce},s=${this.credential.salt.toString('base64')},i=${this.credential.iterations}`;
    this.state = 'final';
    return { kind: 'continue', challenge: Buffer.from(this.serverFirst, 'utf8') };
  }

  private final(msg: string): SaslStep {
    this.state = 'over';
    const proofAt = msg.lastIndexOf(',p=');
    if (proofAt < 0) throw new Error('client-final-message has no proof');
    const withoutProof = msg.slice(0, proofAt);
    const attrs = attributes(withoutProof);
    if (attrs.get('c') !== Buffer.from(this.gs2Header, 'utf8').toString('base64'))
      throw new Error('channel binding attribute does not match the GS2 header');
    // As Kafka's ScramSaslServer: the nonce must end with the server-first nonce (librdkafka sends
    // its client nonce again in front of it).
    if (!attrs.get('r')?.endsWith(this.nonce))
      throw new Error('Invalid client nonce in the final client message');
    const proof = Buffer.from(msg.slice(proofAt + 3), 'base64');
    const credential = this.credential!;
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const clientSignature = hmac(this.hash, credential.storedKey, authMessage);
    if (proof.length !== clientSignature.length) return this.invalidCredentials;
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i]! ^ clientSignature[i]!;
    if (!timingSafeEqual(digest(this.hash, clientKey), credential.storedKey)) return this.invalidCredentials;
    const serverSignature = hmac(this.hash, credential.serverKey, authMessage);
    return {
      kind: 'done',
      user: this.user,
      challenge: Buffer.from(`v=${serverSignature.toString('base64')}`, 'utf8'),
    };
  }
}
