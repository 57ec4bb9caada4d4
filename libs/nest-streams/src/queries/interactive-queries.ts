import { BadGatewayException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { type HostInfo, KafkaStreamsState, type QueryableStoreType, StreamsError } from '@gmart/streams';
import { NestStreamsError } from '../errors/nest-streams-error';
import { StreamsClientRef } from '../runtime/streams-client-ref';
import { StreamsStatus } from '../runtime/streams-status';
import type { RoutedQuery } from './routed-query';

/** How long a forwarded query waits for the owning instance. */
export const REMOTE_QUERY_TIMEOUT_MS = 2000;

/**
 * Interactive queries of a service's state stores across its instances (Kafka Streams'
 * `queryMetadataForKey` plus an HTTP hop): each instance advertises its HTTP `host:port` as the
 * client's `applicationServer` (enable `interactiveQueries` in the service's config), the group's
 * assignment says which instance holds a key, and {@link routed} answers here or asks that
 * instance. Provided by `StreamsCoreModule`; inject it in the service's controllers.
 */
@Injectable()
export class InteractiveQueries {
  constructor(
    @Inject(StreamsClientRef) private readonly streams: StreamsClientRef,
    @Inject(StreamsStatus) private readonly status: StreamsStatus,
  ) {}

  /**
   * Throws a 503 naming the streams state unless the client is `RUNNING`: before that (or in
   * `ERROR`, or once closed) the local stores are not queryable and an empty answer would be a
   * wrong one.
   */
  requireQueryable(what = 'the store'): void {
    const state = this.status.state;
    if (state !== KafkaStreamsState.RUNNING) {
      throw new ServiceUnavailableException({
        statusCode: 503,
        message: `${what} is not queryable while the streams client is ${state}; retry later`,
        state,
      });
    }
  }

  /**
   * This instance's view of `storeName` (all its local partitions), through the client's
   * `store()`; a 503 while it is not queryable (starting, rebalancing, restoring, no task here).
   */
  store<T>(storeName: string, type: QueryableStoreType<T>): T {
    this.requireQueryable(`store ${storeName}`);
    try {
      return this.streams.get().store({ storeName, type });
    } catch (e) {
      if (e instanceof StreamsError)
        throw new ServiceUnavailableException({
          statusCode: 503,
          message: `store ${storeName} is not queryable here now (${e.message})`,
          state: this.status.state,
        });
      throw e;
    }
  }

  /**
   * Answers `query` from the instance that holds its key: from this instance's stores when it
   * holds it (or the request says `local=true`), else by asking the owner over HTTP
   * (`GET <path>?local=true`, {@link REMOTE_QUERY_TIMEOUT_MS}) and passing its answer on.
   * Errors, as HTTP exceptions: the query's `notFound` when the owner has no answer (its 404);
   * 503 with the state while this instance is not `RUNNING`, and 503 while the group's
   * assignment is not known (rebalancing); 502 when the owner cannot be reached or answers
   * anything but 200 or 404.
   */
  async routed<K, V>(query: RoutedQuery<K, V>): Promise<V> {
    this.requireQueryable(`store ${query.storeName}`);
    if (query.localOnly) return this.answerLocally(query);
    const self = this.streams.applicationServer;
    if (self === undefined)
      throw new NestStreamsError(
        'routed queries need interactiveQueries: true in the service config (the client has no applicationServer)',
      );
    const md = this.streams
      .get()
      .queryMetadataForKey(query.storeName, query.key, query.keySerializer, query.partitioner);
    if (!md) throw new ServiceUnavailableException('the instances are rebalancing; retry shortly');
    const owner = md.activeHost;
    if (`${owner.host}:${owner.port}` === self) return this.answerLocally(query);
    let found: V | undefined;
    try {
      found = await fetchLocalAnswer<V>(owner, query.path);
    } catch (err) {
      throw new BadGatewayException(
        `the instance holding ${String(query.key)} (${owner.host}:${owner.port}) did not answer: ${(err as Error).message}`,
      );
    }
    if (found === undefined) throw query.notFound();
    return found;
  }

  private answerLocally<K, V>(query: RoutedQuery<K, V>): V {
    const found = query.local();
    if (found === undefined) throw query.notFound();
    return found;
  }
}

/** The owner's answer to `path?local=true`: its JSON body, `undefined` for its 404; throws otherwise. */
async function fetchLocalAnswer<V>(host: HostInfo, path: string): Promise<V | undefined> {
  const sep = path.includes('?') ? '&' : '?';
  const res = await fetch(`http://${host.host}:${host.port}${path}${sep}local=true`, {
    signal: AbortSignal.timeout(REMOTE_QUERY_TIMEOUT_MS),
  });
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`instance ${host.host}:${host.port} answered ${res.status}`);
  return (await res.json()) as V;
}
