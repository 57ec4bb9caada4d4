import { KafkaBrokerError } from '../../errors/kafka-broker-error';
import type { GroupProtocol, JoinGroupResult, SyncGroupResult } from '../coordinator-api';
import type { ScheduledTask } from '../scheduler';

const EMPTY = Buffer.alloc(0);

/** One member of a group, as the coordinator tracks it (Kafka's MemberMetadata). */
export class MemberMetadata {
  /** The assignment the leader gave this member in the current generation. */
  assignment: Buffer = EMPTY;
  /** Set while a JoinGroup of this member waits for the rebalance to complete. */
  awaitingJoin: ((result: JoinGroupResult) => void) | null = null;
  /** Set while a SyncGroup of this member waits for the leader's assignment. */
  awaitingSync: ((result: SyncGroupResult) => void) | null = null;
  /** True from the member's first JoinGroup until its first generation completes. */
  isNew = false;
  /** Session (or new-member join) expiry timer. */
  expiryTask: ScheduledTask | null = null;

  constructor(
    readonly memberId: string,
    readonly groupInstanceId: string | null,
    readonly clientId: string,
    readonly clientHost: string,
    public rebalanceTimeoutMs: number,
    public sessionTimeoutMs: number,
    readonly protocolType: string,
    public protocols: readonly GroupProtocol[],
  ) {}

  get isAwaitingJoin(): boolean {
    return this.awaitingJoin !== null;
  }

  get isAwaitingSync(): boolean {
    return this.awaitingSync !== null;
  }

  /** Names of the protocols this member supports, in its order of preference. */
  protocolNames(): string[] {
    return this.protocols.map((p) => p.name);
  }

  /** The member's metadata for `protocolName` (empty when it does not support it). */
  metadataFor(protocolName: string | null): Buffer {
    if (protocolName === null) return EMPTY;
    return this.protocols.find((p) => p.name === protocolName)?.metadata ?? EMPTY;
  }

  /** True when `protocols` are exactly the member's current ones (same order, same bytes). */
  matches(protocols: readonly GroupProtocol[]): boolean {
    if (protocols.length !== this.protocols.length) return false;
    return protocols.every(
      (p, i) => p.name === this.protocols[i]!.name && p.metadata.equals(this.protocols[i]!.metadata),
    );
  }

  /** This member's vote: its most preferred protocol among `candidates`. */
  vote(candidates: ReadonlySet<string>): string {
    const choice = this.protocols.find((p) => candidates.has(p.name));
    if (choice === undefined)
      throw new KafkaBrokerError(`member ${this.memberId} supports none of the candidate protocols`);
    return choice.name;
  }

  /** Answers a pending JoinGroup, if any. */
  completeJoin(result: JoinGroupResult): void {
    const callback = this.awaitingJoin;
    this.awaitingJoin = null;
    callback?.(result);
  }

  /** Answers a pending SyncGroup, if any. */
  completeSync(result: SyncGroupResult): void {
    const callback = this.awaitingSync;
    this.awaitingSync = null;
    callback?.(result);
  }
}
