/**
 * The terms of a deal as every source hands them to the contract context in `trade.agreed`:
 * a listed trade and an auction fill them from the listing (one lump sum at the found price),
 * a negotiation from the accepted offer. One shape, so the contract is drafted the same way
 * whatever the route to the deal.
 *
 * Plain JSON (it travels in an outbox row and a job): amounts in fen, dates as ISO strings,
 * transfer modes and exclusivity as the listing context's vocabulary values.
 */
export interface AgreedTerms {
  priceFen: number;
  /** One of the listing's transfer modes (`assignment`, `exclusive_license`, …). */
  transferMode: string;
  /** Scope of a license; null for an assignment, equity or co-development. */
  license: LicenseScope | null;
  paymentSchedule: PaymentSchedule;
  /** What the broker who mediated the deal earns, and who pays it; null without a broker. */
  commission: BrokerCommission | null;
  /** Money the buyer has already paid towards the price (an auction winner's deposit). */
  depositAppliedFen: number;
  /**
   * The listing's IP items as they stood when the deal was struck, filing dates included: the
   * contract's IP items start from them. Every source fills it; absent only in a `trade.agreed`
   * written before it was carried (the contract context then reads the listing).
   */
  ipItems?: AgreedIpItem[];
}

export interface AgreedIpItem {
  /** The listing context's IP kind (`invention_patent`, …). */
  kind: string;
  number: string | null;
  legalStatus: string;
  /** 申请日 (YYYY-MM-DD), or null when the seller did not give it (the number's year then stands in). */
  filingDate: string | null;
}

export interface LicenseScope {
  fieldOfUse: string;
  /** Region codes (6-digit administrative divisions), or 'nationwide'. */
  territory: string[] | 'nationwide';
  termMonths: number;
  exclusivity: 'exclusive' | 'sole' | 'non_exclusive';
}

export type PaymentSchedule =
  | { kind: 'lump_sum'; dueOn: string | null }
  /** Instalments sum to the price. */
  | { kind: 'instalments'; instalments: { amountFen: number; dueOn: string }[] }
  /** 入门费 + 提成: a down payment, then a share of sales for a term. */
  | { kind: 'royalty'; downPaymentFen: number; royaltyBasisPoints: number; royaltyTermMonths: number };

export interface BrokerCommission {
  brokerOrganizationId: string;
  brokerUserId: string | null;
  /** A rate of the price in basis points, or a fixed sum. */
  rateBasisPoints: number | null;
  fixedFen: number | null;
  paidBy: 'seller' | 'buyer';
}

const LICENSE_EXCLUSIVITY: Record<string, LicenseScope['exclusivity']> = {
  exclusive_license: 'exclusive',
  sole_license: 'sole',
  non_exclusive_license: 'non_exclusive',
};

/**
 * The terms of a deal struck at a price found by the market (a listed trade, an auction): the
 * listing's first transfer mode, one lump sum due on signing, and a license — when the mode is
 * one — nationwide, for every use, without a fixed term (0 months: the parties settle the term
 * in the contract draft).
 */
export function marketPriceTerms(
  priceFen: number,
  transferModes: string[],
  depositAppliedFen = 0,
  ipItems?: AgreedIpItem[],
): AgreedTerms {
  const transferMode = transferModes[0] ?? 'assignment';
  const exclusivity = LICENSE_EXCLUSIVITY[transferMode];
  return {
    priceFen,
    transferMode,
    license: exclusivity ? { fieldOfUse: 'all fields', territory: 'nationwide', termMonths: 0, exclusivity } : null,
    paymentSchedule: { kind: 'lump_sum', dueOn: null },
    commission: null,
    depositAppliedFen,
    ...(ipItems && { ipItems }),
  };
}
