import type { AddressInfo } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { STREAMS_CONFIG } from '@gmart/nest-streams';
import { type HostInfo, type KafkaStreams, Serdes } from '@gmart/streams';
import type { CouponJoinConfig } from './coupon-join.config';
import { COUPONS_STORE_NAME } from './coupons-store';
import type { CustomerCouponsView } from './local-coupon-stores';

const REMOTE_TIMEOUT_MS = 2000;

/** Where a customer's coupons live, as `queryMetadataForKey` says. */
export type CouponsLocation =
  | { readonly kind: 'local'; readonly partition: number }
  | { readonly kind: 'remote'; readonly host: HostInfo; readonly partition: number }
  /** The group is starting or rebalancing: the owner is not known yet (retry). */
  | { readonly kind: 'unavailable' };

/**
 * Interactive queries of the coupons store across the instances of the service: the streams
 * client (attached by {@link couponJoinRuntime}) knows from the group's assignment which instance
 * (`APPLICATION_SERVER`) holds each customer's partition. The join's repartition topics are
 * written with the default partitioner (murmur2 of the customer id), which `queryMetadataForKey`
 * applies when given no partitioner.
 */
@Injectable()
export class CouponQueries {
  private streams: KafkaStreams | undefined;
  private server: string | undefined;

  constructor(
    @Inject(STREAMS_CONFIG) private readonly config: CouponJoinConfig,
    private readonly http: HttpAdapterHost,
  ) {}

  /**
   * This instance's `host:port`: `APPLICATION_SERVER`, else `127.0.0.1:<the port the HTTP server
   * listens on>`.
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

  /** @internal Called by {@link couponJoinRuntime} with the client it created. */
  attach(streams: KafkaStreams): void {
    this.streams = streams;
  }

  /** Which instance holds `customerId`. */
  locate(customerId: string): CouponsLocation {
    const md = this.streams?.queryMetadataForKey(
      COUPONS_STORE_NAME,
      customerId,
      Serdes.String().serializer(),
    );
    if (!md) return { kind: 'unavailable' };
    return `${md.activeHost.host}:${md.activeHost.port}` === this.applicationServer()
      ? { kind: 'local', partition: md.partition }
      : { kind: 'remote', host: md.activeHost, partition: md.partition };
  }

  /**
   * Asks the owning instance for its local answer (`?local=true`, so it never forwards again).
   * `undefined` for its 404; throws when it cannot be reached or answers otherwise.
   */
  async fetchRemote(host: HostInfo, customerId: string): Promise<CustomerCouponsView | undefined> {
    const res = await fetch(
      `http://${host.host}:${host.port}/coupons/${encodeURIComponent(customerId)}?local=true`,
      { signal: AbortSignal.timeout(REMOTE_TIMEOUT_MS) },
    );
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new Error(`instance ${host.host}:${host.port} answered ${res.status}`);
    return (await res.json()) as CustomerCouponsView;
  }
}
