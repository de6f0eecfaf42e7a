/** China Standard Time: UTC+8 all year (no daylight saving since 1991). */
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

/**
 * The calendar date (YYYY-MM-DD) in Asia/Shanghai at `instant`: the date people in Hunan read on
 * an issue. Before 08:00 in Hunan the UTC date is still yesterday's.
 */
export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}
