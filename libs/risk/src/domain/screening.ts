import type { Finding } from './finding';
import { AmountSplittingRule } from './rules/amount-splitting.rule';
import { DoubleSaleRule } from './rules/double-sale.rule';
import { IpNotInForceRule } from './rules/ip-not-in-force.rule';
import { NonTechnologyRule } from './rules/non-technology.rule';
import { PoorCreditRule } from './rules/poor-credit.rule';
import { PriceAnomalyRule } from './rules/price-anomaly.rule';
import { RelatedPartiesRule } from './rules/related-parties.rule';
import { RoundTripRule } from './rules/round-trip.rule';
import type { ContractRule } from './rules/rule';
import { YearEndSurgeRule } from './rules/year-end-surge.rule';
import type { ContractUnderScreening, Neighbourhood } from './screening-input';
import type { RiskThresholds } from './thresholds';

export interface ScreeningResult {
  /** 0–100: the findings' weights added, capped at 100. */
  score: number;
  /** The score reached the configured flag score. */
  flagged: boolean;
  findings: Finding[];
}

/** Every rule, built from the configured thresholds. */
export function buildRules(t: RiskThresholds): ContractRule[] {
  return [
    new RelatedPartiesRule(t.relatedParties),
    new RoundTripRule(t.roundTrip),
    new PriceAnomalyRule(t.priceAnomaly),
    new NonTechnologyRule(t.nonTechnology),
    new AmountSplittingRule(t.amountSplitting),
    new DoubleSaleRule(t.doubleSale),
    new IpNotInForceRule(t.ipNotInForce),
    new YearEndSurgeRule(t.yearEndSurge),
    new PoorCreditRule(t.poorCredit),
  ];
}

/**
 * The score: findings add up, because independent warning signs make a false contract more
 * likely; capped at 100 so a score reads as a percentage. Each weight alone says how much one
 * rule is trusted; a weight at or above the flag score lets that rule flag on its own.
 */
export function scoreFindings(findings: readonly Finding[], flagScore: number): Omit<ScreeningResult, 'findings'> {
  const score = Math.min(
    100,
    findings.reduce((sum, f) => sum + f.weight, 0),
  );
  return { score, flagged: score >= flagScore };
}

/** Runs every rule on one contract: the one screening path, for the job and the benchmark alike. */
export class ContractScreener {
  private readonly rules: ContractRule[];

  constructor(private readonly thresholds: RiskThresholds) {
    this.rules = buildRules(thresholds);
  }

  screen(contract: ContractUnderScreening, around: Neighbourhood): ScreeningResult {
    const findings: Finding[] = [];
    for (const rule of this.rules) {
      const finding = rule.check(contract, around);
      if (finding) findings.push(finding);
    }
    return { ...scoreFindings(findings, this.thresholds.flagScore), findings };
  }
}
