import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import type { ShareVolume } from '@gmart/gmart';
import { InteractiveQueries, localQueryFlag, rejectUnknownQuery, type RawQuery } from '@gmart/nest-streams';
import { QueryableStoreTypes, Serdes } from '@gmart/streams';
import type { FixedSizePriorityQueue, IndustryTop } from './volume/fixed-size-priority-queue';
import { INDUSTRY_TOP_STORE, SHARE_VOLUME_STORE } from './volume/share-volume-topology';

const SYMBOL = /^[A-Z0-9.-]{1,10}$/;
const INDUSTRY = /^[A-Za-z0-9 .&'-]{1,100}$/;

/**
 * Looks `key` up in the key-value store `storeName` here or on the instance that owns it
 * (`InteractiveQueries.routed`: asked with `?local=true`, its answer passed on). 404 when the
 * owner has no such key; 503 while rebalancing or not queryable; 502 when the owner cannot be reached.
 */
function routedGet<V, R>(
  queries: InteractiveQueries,
  storeName: string,
  key: string,
  path: string,
  raw: RawQuery,
  view: (v: V) => R,
  notFound: string,
): Promise<R> {
  rejectUnknownQuery(raw, ['local']);
  const localOnly = localQueryFlag(raw);
  return queries.routed({
    storeName,
    key,
    keySerializer: Serdes.String().serializer(),
    path,
    localOnly,
    local: () => {
      const v = queries.store(storeName, QueryableStoreTypes.keyValueStore<string, V>()).get(key);
      return v === undefined || v === null ? undefined : view(v);
    },
    notFound: () => new NotFoundException(notFound),
  });
}

/** Share volume per symbol and the top 5 symbols per industry, from their KTable stores. */
@Controller()
export class VolumeController {
  constructor(private readonly queries: InteractiveQueries) {}

  /** `GET /stocks/:symbol/volume`: `{symbol, industry, shares}`, the shares traded so far (`share-volume-store`). */
  @Get('stocks/:symbol/volume')
  volume(@Param('symbol') symbol: string, @Query() raw: RawQuery): Promise<ShareVolume> {
    if (!SYMBOL.test(symbol))
      throw new BadRequestException('symbol must be 1-10 upper-case letters, digits, "." or "-"');
    return routedGet<ShareVolume, ShareVolume>(
      this.queries,
      SHARE_VOLUME_STORE,
      symbol,
      `/stocks/${encodeURIComponent(symbol)}/volume`,
      raw,
      (v) => v,
      `no share volume for ${symbol}: it was never traded`,
    );
  }

  /** `GET /industries/:industry/top`: `{industry, top}`, the 5 symbols with the most shares traded (`industry-top-store`). */
  @Get('industries/:industry/top')
  top(@Param('industry') industry: string, @Query() raw: RawQuery): Promise<IndustryTop> {
    if (!INDUSTRY.test(industry))
      throw new BadRequestException("industry must be 1-100 letters, digits, spaces or . & ' -");
    return routedGet<FixedSizePriorityQueue, IndustryTop>(
      this.queries,
      INDUSTRY_TOP_STORE,
      industry,
      `/industries/${encodeURIComponent(industry)}/top`,
      raw,
      (q) => ({ industry, top: q.top() }),
      `no symbols traded in industry ${industry}`,
    );
  }
}
