import { isDigit, isoInstantAt, numberEnd, plainDecimalEnd, plainDecimalValue } from './scanned-purchase';
import { STOCK_LIMITS, type StockTransaction } from './stock-transaction';

/** What precedes each value of a stock transaction's canonical JSON (closing quotes included). */
const PREFIX = {
  symbol: Buffer.from('{"symbol":"', 'latin1'),
  sector: Buffer.from('","sector":"', 'latin1'),
  industry: Buffer.from('","industry":"', 'latin1'),
  shares: Buffer.from('","shares":', 'latin1'),
  sharePrice: Buffer.from(',"sharePrice":', 'latin1'),
  customerId: Buffer.from(',"customerId":"', 'latin1'),
  transactionTimestamp: Buffer.from('","transactionTimestamp":"', 'latin1'),
  purchase: Buffer.from('","purchase":', 'latin1'),
};
// Module bindings read once (a re-exported binding is a getter call per read under CommonJS).
const MAX_SHARES = STOCK_LIMITS.maxShares;
const MAX_SHARE_PRICE = STOCK_LIMITS.maxSharePrice;
const TRUE = Buffer.from('true}', 'latin1');
const FALSE = Buffer.from('false}', 'latin1');

/** Node's Buffer method behind `toString('latin1', start, end)`, without its argument handling. */
interface Latin1Slicing {
  latin1Slice(start: number, end: number): string;
}
/** The bytes from `start` to `end` (in range) as a string of those character codes. */
const latin1 = (b: Buffer, start: number, end: number): string =>
  (b as unknown as Latin1Slicing).latin1Slice(start, end);

/**
 * Recently read texts of one field, by a hash of their bytes: symbols, sectors, industries and
 * customer ids repeat from trade to trade, so a text whose bytes equal a remembered one's is that
 * string again (strings are immutable) instead of a new one. Direct-mapped, {@link TEXT_SLOTS} slots.
 */
class TextCache {
  private readonly texts: Array<string | undefined> = new Array<string | undefined>(TEXT_SLOTS).fill(
    undefined,
  );

  /** The text of `b` from `start` to `end` (printable ASCII), remembered or read. */
  read(b: Buffer, start: number, end: number): string {
    const n = end - start;
    const slot = (n * 31 + b[start]! * 7 + b[end - 1]! * 3 + b[start + (n >> 1)]!) & (TEXT_SLOTS - 1);
    const known = this.texts[slot];
    if (known !== undefined && known.length === n) {
      let i = 0;
      while (i < n && known.charCodeAt(i) === b[start + i]) i++;
      if (i === n) return known;
    }
    const text = latin1(b, start, end);
    this.texts[slot] = text;
    return text;
  }
}
const TEXT_SLOTS = 256;
const symbols = new TextCache();
const sectors = new TextCache();
const industries = new TextCache();
const customerIds = new TextCache();

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SPACE = 0x20;

/** Offset after `prefix` when `b` holds it at `at`, else -1. */
function after(b: Buffer, at: number, prefix: Buffer): number {
  if (at < 0 || at + prefix.length > b.length) return -1;
  for (let i = 0; i < prefix.length; i++) if (b[at + i] !== prefix[i]) return -1;
  return at + prefix.length;
}

/**
 * End (the closing quote) of a JSON string's text starting at `at` when it is 1 to `max` printable
 * ASCII characters other than `"` and `\`, not starting or ending with a space (so trimming keeps it
 * as it is), else -1.
 */
function textEnd(b: Buffer, at: number, max: number): number {
  if (at < 0) return -1;
  let i = at;
  for (; i < b.length; i++) {
    const c = b[i]!;
    if (c === QUOTE) break;
    if (c < SPACE || c > 0x7e || c === BACKSLASH) return -1;
  }
  const n = i - at;
  if (i === b.length || n < 1 || n > max || b[at] === SPACE || b[i - 1] === SPACE) return -1;
  return i;
}

/** A symbol byte: `A-Z`, `0-9`, `.` or `-` (`symbolField`'s pattern). */
const isSymbolByte = (c: number): boolean =>
  (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d;

/**
 * A stock transaction read straight from its JSON bytes when they are in the form
 * `GmartSerdes.StockTransaction` writes (the eight fields in `stockTransactionToJson`'s order, no
 * whitespace, printable ASCII text without escapes or surrounding spaces, the timestamp as
 * `toISOString` writes it) and plainly valid: exactly what its deserializer returns for them (the
 * fast reader's result: same values, same field order). `undefined` for anything else, valid or
 * not, which the deserializer then reads (or refuses, naming the problem). No JSON object and no
 * JSON text string per record: the four texts and the timestamp are the only strings made.
 */
export function scanStockTransaction(b: Buffer): StockTransaction | undefined {
  let at = after(b, 0, PREFIX.symbol);
  const symbolEnd = textEnd(b, at, 10);
  if (symbolEnd < 0) return undefined;
  for (let i = at; i < symbolEnd; i++) if (!isSymbolByte(b[i]!)) return undefined;
  const symbolStart = at;

  at = after(b, symbolEnd, PREFIX.sector);
  const sectorEnd = textEnd(b, at, 100);
  if (sectorEnd < 0) return undefined;
  const sectorStart = at;

  at = after(b, sectorEnd, PREFIX.industry);
  const industryEnd = textEnd(b, at, 100);
  if (industryEnd < 0) return undefined;
  const industryStart = at;

  // shares: a whole number from 1 to MAX_SHARES, as String writes it (no sign, no leading zero)
  at = after(b, industryEnd, PREFIX.shares);
  if (at < 0 || !isDigit(b[at]) || b[at] === 0x30) return undefined;
  let shares = 0;
  for (; isDigit(b[at]); at++) {
    shares = shares * 10 + (b[at]! - 0x30);
    if (shares > MAX_SHARES) return undefined;
  }

  at = after(b, at, PREFIX.sharePrice);
  if (at < 0) return undefined;
  // A plain decimal read exactly from its digits; any other JSON number's text read by Number,
  // which gives what JSON.parse does.
  let priceEnd = plainDecimalEnd(b, at);
  let sharePrice = plainDecimalValue();
  if (priceEnd < 0) {
    priceEnd = numberEnd(b, at);
    if (priceEnd < 0) return undefined;
    sharePrice = Number(latin1(b, at, priceEnd));
  }
  if (!(sharePrice > 0 && sharePrice <= MAX_SHARE_PRICE)) return undefined;

  at = after(b, priceEnd, PREFIX.customerId);
  const customerIdEnd = textEnd(b, at, 64);
  if (customerIdEnd < 0) return undefined;
  const customerIdStart = at;

  at = after(b, customerIdEnd, PREFIX.transactionTimestamp);
  if (at < 0 || at + 25 > b.length || b[at + 24] !== QUOTE) return undefined;
  const transactionTimestamp = isoInstantAt(b, at, at + 24);
  if (transactionTimestamp === undefined) return undefined;

  at = after(b, at + 24, PREFIX.purchase);
  let purchase: boolean;
  if (after(b, at, TRUE) === b.length) purchase = true;
  else if (after(b, at, FALSE) === b.length) purchase = false;
  else return undefined;

  return {
    symbol: symbols.read(b, symbolStart, symbolEnd),
    sector: sectors.read(b, sectorStart, sectorEnd),
    industry: industries.read(b, industryStart, industryEnd),
    shares,
    sharePrice,
    customerId: customerIds.read(b, customerIdStart, customerIdEnd),
    purchase,
    transactionTimestamp,
  };
}
