import type { AddressInfo } from 'node:net';
import { Injectable, Inject } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { STREAMS_CONFIG } from '@gmart/nest-streams';
import { type HostInfo, type KafkaStreams, Serdes } from '@gmart/streams';
import type { CustomerRewardsView } from './local-rewards-stores';
import { REWARDS_STORE_NAME } from './rewards-points-store';
import type { RewardsConfig } from './rewards.config';
import { RewardsStreamPartitioner } from './rewards-stream-partitioner';

const REMOTE_TIMEOUT_MS = 2000;

/** Where a customer's rewards live, as `queryMetadataForKey` says. */
export type RewardsLocation =
  | { readonly kind: 'local'; readonly partition: number }
  | { readonly kind: 'remote'; readonly host: HostInfo; readonly partition: number }
  /** The group is starting or rebalancing: the owner is not known yet (retry). */
  | { readonly kind: 'unavailable' };

/** The key-to-partition rule of `customer_transactions` (the seed's partitioner, by customer id). */
const customerPartitioner = {
  partition: (_topic: string, customerId: string, _value: unknown, numPartitions: number) =>
    RewardsStreamPartitioner.partitionFor(customerId, numPartitions),
};

/**
 * Interactive queries of `rewardsPointsStore` across the instances of the service: the streams
 * client (attached by {@link rewardsRuntime}) knows from the group's assignment which instance
 * (`APPLICATION_SERVER`, `host:port` of its HTTP endpoint) holds each customer's partition.
 */
@Injectable()
export class RewardsQueries {
  private streams: KafkaStreams | undefined;
  private server: string | undefined;

  constructor(
    @Inject(STREAMS_CONFIG) private readonly config: RewardsConfig,
    private readonly http: HttpAdapterHost,
  ) {}

  /**
   * This instance's `host:port`: `APPLICATION_SERVER`, else `127.0.0.1:<the port the HTTP server
   * listens on>` (right for one machine; set `APPLICATION_SERVER` when instances run on several hosts).
   */
  applicationServer(): string {
    if (this.server) return this.server;
    const configured = this.config.extra.APPLICATION_SERVER;
    if (configured) return (this.server = configured);
    const address = this.http.httpAdapter?.getHttpServer?.()?.address?.() as
      AddressInfo | string | null | undefined;
    const port = address && typeof address === 'object' ? address.port : this.config.httpPort;
    return (this.server = `127.0.0.1:${port}`);
  }

  /** @internal Called by {@link rewardsRuntime} with the client it created. */
  attach(streams: KafkaStreams): void {
    this.streams = streams;
  }

  /** Which instance holds `customerId`. */
  locate(customerId: string): RewardsLocation {
    const md = this.streams?.queryMetadataForKey(
      REWARDS_STORE_NAME,
      customerId,
      Serdes.String().serializer(),
      customerPartitioner,
    );
    if (!md) return { kind: 'unavailable' };
    const self = this.applicationServer();
    return `${md.activeHost.host}:${md.activeHost.port}` === self
      ? { kind: 'local', partition: md.partition }
      : { kind: 'remote', host: md.activeHost, partition: md.partition };
  }

  /**
   * Asks the owning instance for its local answer (`?local=true`, so it never forwards again).
   * `undefined` for its 404; throws when it cannot be reached or answers otherwise.
   */
  async fetchRemote(host: HostInfo, customerId: string): Promise<CustomerRewardsView | undefined> {
    const res = await fetch(
      `http://${host.host}:${host.port}/rewards/${encodeURIComponent(customerId)}?local=true`,
      {
        signal: AbortSignal.timeout(REMOTE_TIMEOUT_MS),
      },
    );
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new Error(`instance ${host.host}:${host.port} answered ${res.status}`);
    return (await res.json()) as CustomerRewardsView;
  }
}
