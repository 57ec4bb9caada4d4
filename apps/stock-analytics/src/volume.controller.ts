import {
  BadGatewayException,
  BadRequestException,
  Controller,
  Get,
  NotFoundException,
  Param,
  Query,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { ShareVolume } from '@gmart/gmart';
import { QueryableStoreTypes } from '@gmart/streams';
import { StockQueries } from './stock-queries';
import type { FixedSizePriorityQueue, IndustryTop } from './volume/fixed-size-priority-queue';
import { INDUSTRY_TOP_STORE, SHARE_VOLUME_STORE } from './volume/share-volume-topology';

const SYMBOL = /^[A-Z0-9.-]{1,10}$/;
const INDUSTRY = /^[A-Za-z0-9 .&'-]{1,100}$/;

/**
 * Looks `key` up in `storeName` here or on the instance that owns it (`queryMetadataForKey`;
 * asked with `?local=true`, its answer passed on). 404 when the owner has no such key; 503 while
 * rebalancing; 502 when the owner cannot be reached.
 */
async function routedGet<V, R>(
  queries: StockQueries,
  storeName: string,
  key: string,
  path: string,
  local: string | undefined,
  view: (v: V) => R,
  notFound: string,
): Promise<R> {
  if (local !== 'true') {
    const where = queries.locate(storeName, key);
    if (where.kind === 'unavailable')
      throw new ServiceUnavailableException('the stock-analytics instances are rebalancing; retry shortly');
    if (where.kind === 'remote') {
      let found: R | undefined;
      try {
        found = await queries.fetchRemote<R>(where.host, path);
      } catch (err) {
        throw new BadGatewayException(
          `the instance holding ${key} (${where.host.host}:${where.host.port}) did not answer: ${(err as Error).message}`,
        );
      }
      if (found === undefined) throw new NotFoundException(notFound);
      return found;
    }
  }
  const store = queries.localStore(storeName, QueryableStoreTypes.keyValueStore<string, V>());
  if (!store) throw new ServiceUnavailableException(`${storeName} is not queryable yet; retry shortly`);
  const v = store.get(key);
  if (v === undefined || v === null) throw new NotFoundException(notFound);
  return view(v);
}

/** Share volume per symbol and the top 5 symbols per industry, from their KTable stores. */
@Controller()
export class VolumeController {
  constructor(private readonly queries: StockQueries) {}

  /** `GET /stocks/:symbol/volume`: `{symbol, industry, shares}`, the shares traded so far (`share-volume-store`). */
  @Get('stocks/:symbol/volume')
  volume(@Param('symbol') symbol: string, @Query('local') local?: string): Promise<ShareVolume> {
    if (!SYMBOL.test(symbol))
      throw new BadRequestException('symbol must be 1-10 upper-case letters, digits, "." or "-"');
    return routedGet<ShareVolume, ShareVolume>(
      this.queries,
      SHARE_VOLUME_STORE,
      symbol,
      `/stocks/${encodeURIComponent(symbol)}/volume`,
      local,
      (v) => v,
      `no share volume for ${symbol}: it was never traded`,
    );
  }

  /** `GET /industries/:industry/top`: `{industry, top}`, the 5 symbols with the most shares traded (`industry-top-store`). */
  @Get('industries/:industry/top')
  top(@Param('industry') industry: string, @Query('local') local?: string): Promise<IndustryTop> {
    if (!INDUSTRY.test(industry))
      throw new BadRequestException("industry must be 1-100 letters, digits, spaces or . & ' -");
    return routedGet<FixedSizePriorityQueue, IndustryTop>(
      this.queries,
      INDUSTRY_TOP_STORE,
      industry,
      `/industries/${encodeURIComponent(industry)}/top`,
      local,
      (q) => ({ industry, top: q.top() }),
      `no symbols traded in industry ${industry}`,
    );
  }
}
