/** The rules, by their stable names (kept with every finding and every auditor's decision). */
export enum RiskRule {
  RelatedParties = 'related_parties',
  RoundTrip = 'round_trip',
  PriceAnomaly = 'price_anomaly',
  NonTechnology = 'non_technology',
  AmountSplitting = 'amount_splitting',
  DoubleSale = 'double_sale',
  IpNotInForce = 'ip_not_in_force',
  YearEndSurge = 'year_end_surge',
  PoorCredit = 'poor_credit',
}

export const RISK_RULES: readonly RiskRule[] = Object.values(RiskRule);

/**
 * One row of a finding's evidence: what the rule compared, limited to parties, amounts, dates and
 * numbers. `kind` says which shape it is.
 */
export type EvidenceRow =
  | {
      kind: 'contract';
      contractId: string;
      number: string | null;
      sellerName: string;
      buyerName: string;
      amountFen: number;
      techAmountFen: number;
      signedOn: string;
      validFrom?: string;
      validTo?: string;
      transferMode?: string | null;
    }
  | {
      kind: 'relation';
      relationId: string | null;
      relation: string;
      between: [string, string];
      sharePercent?: number | null;
      source?: string | null;
      value?: string;
    }
  | { kind: 'price'; medianFen: number; madLog: number; robustZ: number; ratio: number; comparables: number }
  | { kind: 'comparable'; contractId: string; number: string | null; techAmountFen: number; signedOn: string }
  | { kind: 'item'; description: string; category: string; amountFen: number }
  | { kind: 'subject'; nonTechnicalTerms: string[]; technicalTerms: string[] }
  | {
      kind: 'ip';
      ipKind: string;
      number: string | null;
      filingDate: string | null;
      filingDateFromNumber: boolean;
      expiresOn: string | null;
      legalStatus: string;
    }
  | { kind: 'pace'; windowFrom: string; windowTo: string; windowFen: number; baselineFen: number; ratio: number }
  | { kind: 'rating'; subject: 'organization' | 'broker'; id: string; name: string; rating: string };

export interface Finding {
  rule: RiskRule;
  weight: number;
  evidence: EvidenceRow[];
  /** Why it fired, in one sentence each. */
  sentence: { zh: string; en: string };
}
