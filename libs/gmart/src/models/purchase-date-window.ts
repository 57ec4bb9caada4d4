/** Purchase dates a G-Mart service accepts: not before `earliest`, not more than `maxAheadMs` ahead of now. */
export interface PurchaseDateWindow {
  /** Earliest accepted purchase date, epoch milliseconds (default 2000-01-01T00:00:00Z). */
  readonly earliest: number;
  /** How far ahead of the wall clock a purchase date may be, milliseconds (default one day). */
  readonly maxAheadMs: number;
}

/** The default {@link PurchaseDateWindow}: from 2000-01-01 UTC to one day ahead of now. */
export const DEFAULT_PURCHASE_DATE_WINDOW: PurchaseDateWindow = Object.freeze({
  earliest: Date.UTC(2000, 0, 1),
  maxAheadMs: 24 * 60 * 60 * 1000,
});

/** Why `purchaseDate` is outside `window` at wall-clock time `now`, or `undefined` when it is inside. */
export function purchaseDateProblem(
  purchaseDate: number,
  window: PurchaseDateWindow,
  now: number = Date.now(),
): string | undefined {
  if (purchaseDate < window.earliest) return `must not be before ${new Date(window.earliest).toISOString()}`;
  if (purchaseDate > now + window.maxAheadMs)
    return `must not be more than ${window.maxAheadMs} ms ahead of the current time`;
  return undefined;
}
