import type { AddressInfo } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { STREAMS_CONFIG } from '@gmart/nest-streams';
import {
  type HostInfo,
  type KafkaStreams,
  type QueryableStoreType,
  Serdes,
  type StreamPartitioner,
  StreamsError,
} from '@gmart/streams';
import type { StockAnalyticsConfig } from './stock-analytics.config';

const REMOTE_TIMEOUT_MS = 2000;

/** Where a key of a store lives, as `queryMetadataForKey` says. */
export type KeyLocation =
  | { readonly kind: 'local'; readonly partition: number }
  | { readonly kind: 'remote'; readonly host: HostInfo; readonly partition: number }
  /** The group is starting or rebalancing: the owner is not known yet (retry). */
  | { readonly kind: 'unavailable' };

/** A remote instance's answer: its JSON body, or `undefined` for its 404. */
export type RemoteAnswer<T> = T | undefined;

/**
 * Interactive queries of the service's stores across its instances: the streams client (attached
 * by {@link stockAnalyticsRuntime}) knows from the group's assignment which instance
 * (`APPLICATION_SERVER`) holds each key's partition (keys partitioned by the default partitioner,
 * as the topics they come from).
 */
@Injectable()
export class StockQueries {
  private streams: KafkaStreams | undefined;
  private server: string | undefined;

  constructor(
    @Inject(STREAMS_CONFIG) private readonly config: StockAnalyticsConfig,
    private readonly http: HttpAdapterHost,
  ) {}

  /** This instance's `host:port`: `APPLICATION_SERVER`, else `127.0.0.1:<listening port>`. */
  applicationServer(): string {
    if (this.server) return this.server;
    const configured = this.config.extra.APPLICATION_SERVER;
    if (configured) return (this.server = configured);
    const address = this.http.httpAdapter?.getHttpServer?.()?.address?.() as
      AddressInfo | string | null | undefined;
    const port = address && typeof address === 'object' ? address.port : this.config.httpPort;
    return (this.server = `127.0.0.1:${port}`);
  }

  /** @internal Called by {@link stockAnalyticsRuntime} with the client it created. */
  attach(streams: KafkaStreams): void {
    this.streams = streams;
  }

  /**
   * Which instance holds `key` of `storeName` (partitioned by the default partitioner, or by
   * `partitioner` when the store's topic is written with one).
   */
  locate(storeName: string, key: string, partitioner?: StreamPartitioner<string, unknown>): KeyLocation {
    const md = this.streams?.queryMetadataForKey(storeName, key, Serdes.String().serializer(), partitioner);
    if (!md) return { kind: 'unavailable' };
    return `${md.activeHost.host}:${md.activeHost.port}` === this.applicationServer()
      ? { kind: 'local', partition: md.partition }
      : { kind: 'remote', host: md.activeHost, partition: md.partition };
  }

  /**
   * This instance's view of `storeName` (all its local partitions), or `undefined` while it is not
   * queryable (starting, rebalancing, restoring, or no task of the store here).
   */
  localStore<T>(storeName: string, type: QueryableStoreType<T>): T | undefined {
    if (!this.streams) return undefined;
    try {
      return this.streams.store({ storeName, type });
    } catch (e) {
      if (e instanceof StreamsError) return undefined;
      throw e;
    }
  }

  /**
   * Asks the owning instance for its local answer (`local=true`, so it never forwards again).
   * `undefined` for its 404; throws when it cannot be reached or answers otherwise.
   */
  async fetchRemote<T>(host: HostInfo, pathAndQuery: string): Promise<RemoteAnswer<T>> {
    const sep = pathAndQuery.includes('?') ? '&' : '?';
    const res = await fetch(`http://${host.host}:${host.port}${pathAndQuery}${sep}local=true`, {
      signal: AbortSignal.timeout(REMOTE_TIMEOUT_MS),
    });
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new Error(`instance ${host.host}:${host.port} answered ${res.status}`);
    return (await res.json()) as T;
  }
}
