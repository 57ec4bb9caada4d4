import type { Redactor } from '@gmart/streams';
import ConnectionString from 'mongodb-connection-string-url';

/** Who a MongoDB connection string authenticates as (never its password). */
export interface MongoIdentity {
  /** The user name, or undefined when the URI carries no credentials. */
  readonly user: string | undefined;
  /** Where the user is defined: `authSource`, else the URI's database, else `admin`. */
  readonly authSource: string;
}

/** The user and authentication database of `uri` (a URI that does not parse: no user). */
export function mongoIdentity(uri: string): MongoIdentity {
  try {
    const cs = new ConnectionString(uri);
    const user = cs.username ? decodeURIComponent(cs.username) : undefined;
    const db = decodeURIComponent(cs.pathname.replace(/^\//, ''));
    return { user, authSource: cs.searchParams.get('authSource') ?? (db || 'admin') };
  } catch {
    return { user: undefined, authSource: 'admin' };
  }
}

/** The password of `uri`, decoded and as written (percent-encoded), for redaction; none without one. */
function passwordsOf(uri: string): string[] {
  const m = /^mongodb(?:\+srv)?:\/\/[^:@/]*:([^@/]*)@/.exec(uri);
  if (!m || m[1] === '') return [];
  let decoded = m[1]!;
  try {
    decoded = decodeURIComponent(m[1]!);
  } catch {
    /* keep the raw form */
  }
  return [...new Set([m[1]!, decoded])].sort((a, b) => b.length - a.length);
}

/** `mongodb://user:secret@host` -> `mongodb://user:[redacted]@host` in any text. */
export function redactMongoUris(text: string): string {
  return text.replace(/(mongodb(?:\+srv)?:\/\/[^:@/\s]*):[^@\s]*@/g, '$1:[redacted]@');
}

/**
 * `base` (the card-number redactor) plus MONGODB_URI's password: every log line has any
 * `mongodb://user:password@` rewritten to `mongodb://user:[redacted]@`, and the password itself
 * (decoded or percent-encoded) replaced by `[redacted]` wherever it appears.
 */
export function withMongoSecretsRedacted(base: Redactor, uri: string | undefined): Redactor {
  const secrets = uri ? passwordsOf(uri) : [];
  const redactText = (text: string): string => {
    let out = redactMongoUris(base.redactText(text));
    for (const s of secrets) if (out.includes(s)) out = out.split(s).join('[redacted]');
    return out;
  };
  return Object.freeze({ redactText, redactBytes: (bytes: Buffer) => base.redactBytes(bytes) });
}
