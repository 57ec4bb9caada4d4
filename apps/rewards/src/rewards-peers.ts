import { ConfigError } from '@gmart/nest-streams';
import type { CustomerRewardsView } from './local-rewards-stores';

const PEER_TIMEOUT_MS = 2000;

/**
 * The other instances of the rewards service (`REWARDS_PEERS`), asked for a customer that no
 * local partition holds. A stop-gap for Kafka Streams' `queryMetadataForKey`, which
 * `@gmart/streams` does not have yet: instead of knowing the owner, every peer is asked for its
 * local answer (`?local=true`, so peers never ask further) and the first that has the customer wins.
 */
export class RewardsPeers {
  private constructor(readonly urls: readonly string[]) {}

  /** Parses `REWARDS_PEERS`; a bad entry is a {@link ConfigError} naming the variable. */
  static fromConfig(value: string | undefined): RewardsPeers {
    if (!value) return new RewardsPeers([]);
    const urls: string[] = [];
    for (const entry of value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      let url: URL;
      try {
        url = new URL(entry);
      } catch {
        throw new ConfigError('rewards', [
          { variable: 'REWARDS_PEERS', reason: 'must be a comma-separated list of http(s)://host:port URLs' },
        ]);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new ConfigError('rewards', [
          { variable: 'REWARDS_PEERS', reason: 'URLs must use http or https' },
        ]);
      }
      urls.push(url.origin + url.pathname.replace(/\/+$/, ''));
    }
    return new RewardsPeers(urls);
  }

  /** The customer's rewards from the first peer that holds them, or undefined. */
  async find(customerId: string): Promise<CustomerRewardsView | undefined> {
    if (this.urls.length === 0) return undefined;
    const answers = await Promise.all(
      this.urls.map(async (base) => {
        try {
          const res = await fetch(`${base}/rewards/${encodeURIComponent(customerId)}?local=true`, {
            signal: AbortSignal.timeout(PEER_TIMEOUT_MS),
          });
          return res.status === 200 ? ((await res.json()) as CustomerRewardsView) : undefined;
        } catch {
          return undefined; // a peer that is down or slow simply does not answer
        }
      }),
    );
    return answers.find((a) => a !== undefined);
  }
}
