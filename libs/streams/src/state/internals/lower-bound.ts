/**
 * The first index of the ascending `sorted` whose element is not below `x` (`sorted.length` if
 * none): a binary search with `<`, for numbers or for strings compared by UTF-16 code units (the
 * order of latin1 key strings, byte for byte).
 */
export function lowerBound<T extends number | string>(sorted: readonly T[], x: T): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
