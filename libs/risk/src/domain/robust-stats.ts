/** Robust location and spread: the median and the median absolute deviation. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function medianAbsoluteDeviation(values: readonly number[], centre = median(values)): number {
  return median(values.map((v) => Math.abs(v - centre)));
}

/**
 * The modified z-score of Iglewicz and Hoaglin: 0.6745 (x − median) / MAD, which reads like a
 * standard score for normal data but is not dragged by the outliers it is meant to find. A zero
 * MAD (most comparables at one price) makes any other value infinitely far.
 */
export function robustZ(x: number, centre: number, mad: number): number {
  if (mad === 0) return x === centre ? 0 : x > centre ? Infinity : -Infinity;
  return (0.6745 * (x - centre)) / mad;
}
