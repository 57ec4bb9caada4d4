import { createHash, timingSafeEqual } from 'node:crypto';
import type { SaslExchange, SaslStep } from './sasl-exchange';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * SASL/PLAIN (RFC 4616) as Kafka's `PlainSaslServer`: one token
 * `[authzid] NUL authcid NUL passwd`; the authorization id must be empty or the user name.
 */
export class PlainExchange implements SaslExchange {
  constructor(private readonly users: ReadonlyMap<string, string>) {}

  step(token: Buffer): SaslStep {
    const parts = token.toString('utf8').split('\u0000');
    if (parts.length !== 3)
      return { kind: 'failed', message: 'Invalid SASL/PLAIN response: expected 3 tokens' };
    const [authzid, user, password] = parts as [string, string, string];
    if (user.length === 0)
      return { kind: 'failed', message: 'Authentication failed: username not specified' };
    if (password.length === 0)
      return { kind: 'failed', message: 'Authentication failed: password not specified' };
    if (authzid.length > 0 && authzid !== user) {
      return {
        kind: 'failed',
        message:
          'Authentication failed: Client requested an authorization id that is different from username',
      };
    }
    const expected = this.users.get(user);
    // Compare digests so neither the length nor the content of the password leaks through timing.
    const ok = expected !== undefined && timingSafeEqual(sha256(expected), sha256(password));
    if (!ok) return { kind: 'failed', message: 'Authentication failed: Invalid username or password' };
    return { kind: 'done', user, challenge: Buffer.alloc(0) };
  }
}
