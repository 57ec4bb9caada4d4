import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import {
  InteractiveQueries,
  instantQuery,
  localQueryFlag,
  rejectUnknownQuery,
  type RawQuery,
} from '@gmart/nest-streams';
import { type KeyValueIterator, QueryableStoreTypes, Serdes, type Windowed } from '@gmart/streams';
import { customerPartitioner } from './counts/customer-partitioner';
import { splitSummaryKey } from './counts/transaction-count';
import { TRANSACTION_COUNT_STORES } from './counts/transaction-counts-topology';

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
  constructor(private readonly queries: InteractiveQueries) {}

  /**
   * `GET /customers/:customerId/transaction-counts?from=&to=`: the customer's session counts
   * overlapping `[from, to]` and tumbling/hopping counts of windows starting in `[from, to]`
   * (epoch ms or ISO-8601; default everything the stores keep, 15 min). 404 when there is none;
   * 400 for a bad id or time; 503 while rebalancing or restoring; 502 when the owner cannot be reached.
   */
  @Get(':customerId/transaction-counts')
  counts(
    @Param('customerId') customerId: string,
    @Query() raw: RawQuery,
  ): Promise<CustomerTransactionCounts> {
    if (!CUSTOMER_ID.test(customerId))
      throw new BadRequestException('customerId must be 1-64 letters, digits, ".", "_" or "-"');
    rejectUnknownQuery(raw, ['from', 'to', 'local']);
    const from = instantQuery(raw, 'from', 0);
    const to = instantQuery(raw, 'to', MAX_TIME);
    const localOnly = localQueryFlag(raw);
    if (from > to) throw new BadRequestException(`from (${from}) must not be after to (${to})`);
    const notFound = `no transaction counts for customer ${customerId} in [${from}, ${to}]`;
    const keyFrom = `${customerId}|`;
    const keyTo = `${customerId}|\uffff`;

    return this.queries.routed({
      storeName: TRANSACTION_COUNT_STORES.session,
      key: keyFrom,
      keySerializer: Serdes.String().serializer(),
      partitioner: customerPartitioner(),
      path: `/customers/${encodeURIComponent(customerId)}/transaction-counts?from=${from}&to=${to}`,
      localOnly,
      local: () => {
        const sessions = this.queries.store(
          TRANSACTION_COUNT_STORES.session,
          QueryableStoreTypes.sessionStore<string, number>(),
        );
        const tumbling = this.queries.store(
          TRANSACTION_COUNT_STORES.tumbling,
          QueryableStoreTypes.windowStore<string, number>(),
        );
        const hopping = this.queries.store(
          TRANSACTION_COUNT_STORES.hopping,
          QueryableStoreTypes.windowStore<string, number>(),
        );
        const answer: CustomerTransactionCounts = {
          customerId,
          from,
          to,
          session: drain(sessions.findSessionsKeyRange(keyFrom, keyTo, from, to), []),
          tumbling: drain(tumbling.fetchKeyRange(keyFrom, keyTo, from, to), []),
          hopping: drain(hopping.fetchKeyRange(keyFrom, keyTo, from, to), []),
        };
        return answer.session.length + answer.tumbling.length + answer.hopping.length === 0
          ? undefined
          : answer;
      },
      notFound: () => new NotFoundException(notFound),
    });
  }
}
