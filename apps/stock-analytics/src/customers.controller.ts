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
import { type KeyValueIterator, QueryableStoreTypes, type Windowed } from '@gmart/streams';
import { customerPartitioner } from './counts/customer-partitioner';
import { splitSummaryKey } from './counts/transaction-count';
import { TRANSACTION_COUNT_STORES } from './counts/transaction-counts-topology';
import { StockQueries } from './stock-queries';

const CUSTOMER_ID = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_TIME = Number.MAX_SAFE_INTEGER;

/** One window (or session) of a customer's trades in one symbol. */
export interface WindowedCountView {
  readonly stockTicker: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly count: number;
}

/** `GET /customers/:customerId/transaction-counts`: the customer's counts per window kind. */
export interface CustomerTransactionCounts {
  readonly customerId: string;
  readonly from: number;
  readonly to: number;
  /** Sessions (20 s inactivity gap) overlapping `[from, to]`. */
  readonly session: WindowedCountView[];
  /** Tumbling 20 s windows starting in `[from, to]`. */
  readonly tumbling: WindowedCountView[];
  /** Hopping 20 s windows (advancing by 5 s) starting in `[from, to]`. */
  readonly hopping: WindowedCountView[];
}

/** A time bound: epoch milliseconds or an ISO-8601 instant. */
function parseTime(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const ms = /^\d{1,16}$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isSafeInteger(ms) || ms < 0)
    throw new BadRequestException(`${name} must be epoch milliseconds or an ISO-8601 instant, got "${text}"`);
  return ms;
}

function drain(
  it: KeyValueIterator<Windowed<string>, number | null>,
  out: WindowedCountView[],
): WindowedCountView[] {
  try {
    for (const { key, value } of it) {
      if (value === null || value === undefined) continue;
      out.push({
        stockTicker: splitSummaryKey(key.key()).stockTicker,
        windowStart: key.window().start(),
        windowEnd: key.window().end(),
        count: value,
      });
    }
  } finally {
    it.close();
  }
  return out.sort((a, b) => a.windowStart - b.windowStart || a.stockTicker.localeCompare(b.stockTicker));
}

/**
 * Interactive queries of the customer transaction counts (the window and session stores of
 * `addTransactionCounts`). A customer's counts are all in one partition (its summaries are
 * repartitioned by customer id), so one instance answers: this one, or the owner asked with
 * `?local=true` and its answer passed on.
 */
@Controller('customers')
export class CustomersController {
  constructor(private readonly queries: StockQueries) {}

  /**
   * `GET /customers/:customerId/transaction-counts?from=&to=`: the customer's session counts
   * overlapping `[from, to]` and tumbling/hopping counts of windows starting in `[from, to]`
   * (epoch ms or ISO-8601; default everything the stores keep, 15 min). 404 when there is none;
   * 400 for a bad id or time; 503 while rebalancing or restoring; 502 when the owner cannot be reached.
   */
  @Get(':customerId/transaction-counts')
  async counts(
    @Param('customerId') customerId: string,
    @Query('from') fromText?: string,
    @Query('to') toText?: string,
    @Query('local') local?: string,
  ): Promise<CustomerTransactionCounts> {
    if (!CUSTOMER_ID.test(customerId))
      throw new BadRequestException('customerId must be 1-64 letters, digits, ".", "_" or "-"');
    const from = parseTime('from', fromText, 0);
    const to = parseTime('to', toText, MAX_TIME);
    if (from > to) throw new BadRequestException(`from (${from}) must not be after to (${to})`);
    const notFound = `no transaction counts for customer ${customerId} in [${from}, ${to}]`;
    const keyFrom = `${customerId}|`;
    const keyTo = `${customerId}|\uffff`;

    if (local !== 'true') {
      const where = this.queries.locate(TRANSACTION_COUNT_STORES.session, keyFrom, customerPartitioner());
      if (where.kind === 'unavailable')
        throw new ServiceUnavailableException('the stock-analytics instances are rebalancing; retry shortly');
      if (where.kind === 'remote') {
        let found: CustomerTransactionCounts | undefined;
        try {
          found = await this.queries.fetchRemote<CustomerTransactionCounts>(
            where.host,
            `/customers/${encodeURIComponent(customerId)}/transaction-counts?from=${from}&to=${to}`,
          );
        } catch (err) {
          throw new BadGatewayException(
            `the instance holding customer ${customerId} (${where.host.host}:${where.host.port}) did not answer: ${(err as Error).message}`,
          );
        }
        if (found === undefined) throw new NotFoundException(notFound);
        return found;
      }
    }

    const sessions = this.queries.localStore(
      TRANSACTION_COUNT_STORES.session,
      QueryableStoreTypes.sessionStore<string, number>(),
    );
    const tumbling = this.queries.localStore(
      TRANSACTION_COUNT_STORES.tumbling,
      QueryableStoreTypes.windowStore<string, number>(),
    );
    const hopping = this.queries.localStore(
      TRANSACTION_COUNT_STORES.hopping,
      QueryableStoreTypes.windowStore<string, number>(),
    );
    if (!sessions || !tumbling || !hopping)
      throw new ServiceUnavailableException(
        'the transaction-count stores are not queryable yet; retry shortly',
      );
    const answer: CustomerTransactionCounts = {
      customerId,
      from,
      to,
      session: drain(sessions.findSessionsKeyRange(keyFrom, keyTo, from, to), []),
      tumbling: drain(tumbling.fetchKeyRange(keyFrom, keyTo, from, to), []),
      hopping: drain(hopping.fetchKeyRange(keyFrom, keyTo, from, to), []),
    };
    if (answer.session.length + answer.tumbling.length + answer.hopping.length === 0)
      throw new NotFoundException(notFound);
    return answer;
  }
}
