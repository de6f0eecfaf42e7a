import { CONTRACT_TYPE_LABELS, IP_KIND_LABELS, PARTY_KIND_LABELS, regionLabel, TECHNICAL_FIELD_LABELS } from './labels';

/**
 * The breakdowns of the national technology-market statistics (registration-rules digest, "The
 * registration form"): contract type, technical field, party kind, IP kind, and region — output
 * (技术输出) by the seller's region, absorption (技术吸纳) by the buyer's — at province, city and
 * county level. Each is kept as its own rollup, so a query reads one small set of rows.
 */
export enum StatsDimension {
  /** Every contract: the key is empty. Month-only breakdowns read it. */
  All = 'all',
  ContractType = 'contract_type',
  TechnicalField = 'technical_field',
  SellerKind = 'seller_kind',
  BuyerKind = 'buyer_kind',
  IpKind = 'ip_kind',
  SellerProvince = 'seller_province',
  SellerCity = 'seller_city',
  SellerCounty = 'seller_county',
  BuyerProvince = 'buyer_province',
  BuyerCity = 'buyer_city',
  BuyerCounty = 'buyer_county',
}

/** `groupBy` values of the api → the rollup they read. `month` alone reads `all`. */
export const GROUP_BY_DIMENSIONS = {
  contractType: StatsDimension.ContractType,
  technicalField: StatsDimension.TechnicalField,
  sellerKind: StatsDimension.SellerKind,
  buyerKind: StatsDimension.BuyerKind,
  ipKind: StatsDimension.IpKind,
  sellerProvince: StatsDimension.SellerProvince,
  sellerCity: StatsDimension.SellerCity,
  sellerCounty: StatsDimension.SellerCounty,
  buyerProvince: StatsDimension.BuyerProvince,
  buyerCity: StatsDimension.BuyerCity,
  buyerCounty: StatsDimension.BuyerCounty,
} as const;
export type GroupByDimension = keyof typeof GROUP_BY_DIMENSIONS;
export const GROUP_BY_VALUES = [...Object.keys(GROUP_BY_DIMENSIONS), 'month'] as (GroupByDimension | 'month')[];

/** What a registered contract counts as: one contract, its two amounts, on its registration day. */
export interface CountedContract {
  /** YYYY-MM-DD (Asia/Shanghai). */
  registeredOn: string;
  contractType: string;
  technicalField: string | null;
  sellerKind: string;
  buyerKind: string;
  /** The kinds of its IP items, in order. */
  ipKinds: string[];
  sellerRegionCode: string;
  buyerRegionCode: string;
  totalAmountFen: number;
  technologyAmountFen: number;
}

/** Province (xx0000), city (xxxx00) and county (the code itself) of a 6-digit division code. */
export function regionLevels(code: string): { province: string; city: string; county: string } {
  return { province: `${code.slice(0, 2)}0000`, city: `${code.slice(0, 4)}00`, county: code };
}

/**
 * **Chosen:** a contract counts once per breakdown, so the IP breakdown takes its first IP item's
 * kind (the main right the contract is about; JJ-001 has one IP field), `none` without items; a
 * contract without a technical field counts as `unspecified`.
 */
export function keysOf(contract: CountedContract): [StatsDimension, string][] {
  const seller = regionLevels(contract.sellerRegionCode);
  const buyer = regionLevels(contract.buyerRegionCode);
  return [
    [StatsDimension.All, ''],
    [StatsDimension.ContractType, contract.contractType],
    [StatsDimension.TechnicalField, contract.technicalField ?? 'unspecified'],
    [StatsDimension.SellerKind, contract.sellerKind],
    [StatsDimension.BuyerKind, contract.buyerKind],
    [StatsDimension.IpKind, contract.ipKinds[0] ?? 'none'],
    [StatsDimension.SellerProvince, seller.province],
    [StatsDimension.SellerCity, seller.city],
    [StatsDimension.SellerCounty, seller.county],
    [StatsDimension.BuyerProvince, buyer.province],
    [StatsDimension.BuyerCity, buyer.city],
    [StatsDimension.BuyerCounty, buyer.county],
  ];
}

/** A change to one row of a rollup. */
export interface Delta {
  dimension: StatsDimension;
  day: string;
  key: string;
  contracts: number;
  totalAmountFen: number;
  technologyAmountFen: number;
}

/**
 * What counting (`+1`) or uncounting (`-1`) contracts changes, one delta per row, netted (a change
 * registration that keeps a contract's type touches its type row not at all) and in a fixed order,
 * so that two jobs writing the same rows lock them in the same order and never deadlock.
 */
export function deltasOf(changes: { contract: CountedContract; sign: 1 | -1 }[]): Delta[] {
  const byRow = new Map<string, Delta>();
  for (const { contract, sign } of changes) {
    for (const [dimension, key] of keysOf(contract)) {
      const id = `${dimension}\u0000${contract.registeredOn}\u0000${key}`;
      const row = byRow.get(id) ?? {
        dimension,
        day: contract.registeredOn,
        key,
        contracts: 0,
        totalAmountFen: 0,
        technologyAmountFen: 0,
      };
      row.contracts += sign;
      row.totalAmountFen += sign * contract.totalAmountFen;
      row.technologyAmountFen += sign * contract.technologyAmountFen;
      byRow.set(id, row);
    }
  }
  return [...byRow.entries()]
    .filter(([, d]) => d.contracts !== 0 || d.totalAmountFen !== 0 || d.technologyAmountFen !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, d]) => d);
}

/** The first day of a date's month. */
export function monthOf(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

function addDays(day: string, days: number): string {
  const at = new Date(`${day}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

function nextMonth(day: string): string {
  const at = new Date(`${monthOf(day)}T00:00:00Z`);
  at.setUTCMonth(at.getUTCMonth() + 1);
  return at.toISOString().slice(0, 10);
}

/**
 * How a range of days [from, to] is read: whole months from the monthly rollup, the days of a
 * month the range only partly covers from the daily one — so a range that starts or ends inside a
 * month is exact and reads at most two months of days.
 */
export interface RangePlan {
  /** Whole months: [monthsFrom, monthsUntil), first days of months; empty when equal. */
  monthsFrom: string;
  monthsUntil: string;
  /** Day ranges, inclusive, read from the daily rollup. */
  days: [string, string][];
}

export function planRange(from: string, to: string): RangePlan {
  const monthsFrom = from === monthOf(from) ? from : nextMonth(from);
  const after = addDays(to, 1);
  const monthsUntil = after === monthOf(after) ? after : monthOf(to);
  if (monthsFrom >= monthsUntil) return { monthsFrom, monthsUntil: monthsFrom, days: [[from, to]] };
  const days: [string, string][] = [];
  if (from < monthsFrom) days.push([from, addDays(monthsFrom, -1)]);
  if (monthsUntil <= to) days.push([monthsUntil, to]);
  return { monthsFrom, monthsUntil, days };
}

/** The words for a key of a breakdown (a region's name, a type's Chinese name). */
export function labelOf(dimension: StatsDimension, key: string, regionNames?: ReadonlyMap<string, string>): string {
  switch (dimension) {
    case StatsDimension.All:
      return '合计';
    case StatsDimension.ContractType:
      return CONTRACT_TYPE_LABELS[key] ?? key;
    case StatsDimension.TechnicalField:
      return TECHNICAL_FIELD_LABELS[key] ?? key;
    case StatsDimension.SellerKind:
    case StatsDimension.BuyerKind:
      return PARTY_KIND_LABELS[key] ?? key;
    case StatsDimension.IpKind:
      return IP_KIND_LABELS[key] ?? key;
    default:
      return regionLabel(key, regionNames);
  }
}
