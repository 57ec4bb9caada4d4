import { scramSha256Credential, type ScramSha256Credential } from './scram-sha256';

/** Users of the server: SCRAM-SHA-256 credentials per `<database>.<user>` (passwords are not kept). */
export class MongoUsers {
  private readonly credentials = new Map<string, ScramSha256Credential>();

  /** `users`: `{ name: password }` (users of `admin`) or `{ 'db.name': password }`. */
  constructor(users: Readonly<Record<string, string>>) {
    for (const [key, password] of Object.entries(users)) {
      const { db, user } = MongoUsers.split(key);
      this.credentials.set(`${db}.${user}`, scramSha256Credential(password));
    }
  }

  /** `name` is a user of `admin`; `db.name` a user of `db` (the first dot separates them). */
  static split(key: string): { db: string; user: string } {
    const dot = key.indexOf('.');
    return dot > 0 ? { db: key.slice(0, dot), user: key.slice(dot + 1) } : { db: 'admin', user: key };
  }

  /** The credential of `user` in `db` (its authentication database), if there is one. */
  credential(db: string, user: string): ScramSha256Credential | undefined {
    return this.credentials.get(`${db}.${user}`);
  }

  /** Number of users. */
  get size(): number {
    return this.credentials.size;
  }
}
