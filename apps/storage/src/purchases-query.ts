import { BadRequestException } from '@nestjs/common';
import type { Filter, Document } from 'mongodb';

/** A validated `GET /purchases` query. */
export interface PurchasesQuery {
  readonly customerId?: string;
  /** Inclusive lower bound of `purchaseDate`. */
  readonly from?: Date;
  /** Exclusive upper bound of `purchaseDate`. */
  readonly to?: Date;
  readonly page: number;
  readonly pageSize: number;
}

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;
const ALLOWED = new Set(['customerId', 'from', 'to', 'page', 'pageSize']);
const CUSTOMER_ID = /^[A-Za-z0-9._-]{1,64}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function single(name: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new BadRequestException(`${name} must be given once`);
  return v;
}

function instant(name: string, v: string | undefined): Date | undefined {
  if (v === undefined) return undefined;
  let ms: number;
  if (/^\d{1,15}$/.test(v)) ms = Number(v);
  else if (ISO_DATE.test(v)) ms = Date.parse(v);
  else ms = NaN;
  if (!Number.isFinite(ms))
    throw new BadRequestException(
      `${name} must be an ISO-8601 date (2026-01-31 or 2026-01-31T12:00:00Z) or epoch milliseconds`,
    );
  return new Date(ms);
}

function wholeNumber(name: string, v: string | undefined, fallback: number, max: number): number {
  if (v === undefined) return fallback;
  const n = /^\d{1,9}$/.test(v) ? Number(v) : NaN;
  if (!(n >= 1 && n <= max)) throw new BadRequestException(`${name} must be a whole number from 1 to ${max}`);
  return n;
}

/** Checks the raw query string values; a bad one is a 400 naming the parameter (never echoing it). */
export function parsePurchasesQuery(raw: Record<string, unknown>): PurchasesQuery {
  const unknown = Object.keys(raw).filter((k) => !ALLOWED.has(k));
  if (unknown.length)
    throw new BadRequestException(
      `unknown query parameter(s): ${unknown.map((k) => k.slice(0, 40)).join(', ')}; allowed: ${[...ALLOWED].join(', ')}`,
    );
  const customerId = single('customerId', raw.customerId);
  if (customerId !== undefined && !CUSTOMER_ID.test(customerId))
    throw new BadRequestException('customerId must be 1-64 letters, digits, ".", "_" or "-"');
  const from = instant('from', single('from', raw.from));
  const to = instant('to', single('to', raw.to));
  if (from && to && from.getTime() >= to.getTime()) throw new BadRequestException('from must be before to');
  const page = wholeNumber('page', single('page', raw.page), 1, 1_000_000);
  const pageSize = wholeNumber(
    'pageSize',
    single('pageSize', raw.pageSize),
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
  );
  return { customerId, from, to, page, pageSize };
}

/** The MongoDB filter of a query. */
export function purchasesFilter(q: PurchasesQuery): Filter<Document> {
  const filter: Filter<Document> = {};
  if (q.customerId !== undefined) filter.customerId = q.customerId;
  if (q.from || q.to)
    filter.purchaseDate = { ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lt: q.to } : {}) };
  return filter;
}
