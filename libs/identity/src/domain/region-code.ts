/**
 * A 6-digit administrative division code (行政区划代码, GB/T 2260): province, prefecture, county.
 * 430100 is Changsha, 430000 Hunan province. The province part must be one that exists.
 */
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63,
  64, 65, 71, 81, 82,
]);

export function regionCodeProblem(code: string): string | null {
  if (!/^\d{6}$/.test(code)) return 'must be 6 digits';
  if (!PROVINCES.has(Number(code.slice(0, 2)))) return `has an unknown province code ${code.slice(0, 2)}`;
  return null;
}
