import { PlainExchange } from './plain-exchange';
import type { SaslExchange } from './sasl-exchange';
import { scramCredential, type ScramCredential } from './scram-credential';
import { ScramExchange } from './scram-exchange';
import {
  BROKER_SASL_MECHANISMS,
  type BrokerSaslMechanism,
  type ListenerSaslOptions,
} from './security-options';

/**
 * The broker's SASL users and mechanisms: makes one {@link SaslExchange} per connection that
 * asks for a mechanism. SCRAM credentials are derived once, at start.
 */
export class SaslAuthenticator {
  readonly mechanisms: readonly BrokerSaslMechanism[];
  private readonly plain: ReadonlyMap<string, string>;
  private readonly scram256 = new Map<string, ScramCredential>();
  private readonly scram512 = new Map<string, ScramCredential>();

  constructor(options: ListenerSaslOptions) {
    this.mechanisms = [...(options.mechanisms ?? BROKER_SASL_MECHANISMS)];
    this.plain = new Map(Object.entries(options.users));
    for (const [user, password] of this.plain) {
      if (this.mechanisms.includes('SCRAM-SHA-256'))
        this.scram256.set(user, scramCredential('sha256', password));
      if (this.mechanisms.includes('SCRAM-SHA-512'))
        this.scram512.set(user, scramCredential('sha512', password));
    }
  }

  /** An exchange for `mechanism`, or undefined when it is not enabled (UNSUPPORTED_SASL_MECHANISM). */
  exchange(mechanism: string): SaslExchange | undefined {
    if (!(this.mechanisms as readonly string[]).includes(mechanism)) return undefined;
    switch (mechanism as BrokerSaslMechanism) {
      case 'PLAIN':
        return new PlainExchange(this.plain);
      case 'SCRAM-SHA-256':
        return new ScramExchange(mechanism, 'sha256', this.scram256);
      case 'SCRAM-SHA-512':
        return new ScramExchange(mechanism, 'sha512', this.scram512);
    }
  }
}
