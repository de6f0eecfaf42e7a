import { Finding, RiskRule } from '../finding';
import { daysBetween } from '../dates';
import type { ContractSummary, ContractUnderScreening, Neighbourhood } from '../screening-input';
import type { RiskThresholds } from '../thresholds';
import { ContractRule, contractRow, others, summaryOf, yuan } from './rule';

/**
 * Amount splitting: several contracts from the same seller to the same buyer, each just under the
 * threshold (the 5,000,000-yuan line of expert review and of the income-tax exemption by default),
 * signed within a short window of the screened one. A renewal a year later is outside the window.
 */
export class AmountSplittingRule implements ContractRule {
  readonly rule = RiskRule.AmountSplitting;

  constructor(private readonly t: RiskThresholds['amountSplitting']) {}

  private justUnder(fen: number): boolean {
    return fen < this.t.thresholdFen && fen >= this.t.thresholdFen * (1 - this.t.marginPercent / 100);
  }

  check(contract: ContractUnderScreening, around: Neighbourhood): Finding | null {
    if (!this.justUnder(contract.techAmountFen)) return null;
    const parts: ContractSummary[] = others(contract, around.partyContracts).filter(
      (c) =>
        c.sellerOrgId === contract.seller.orgId &&
        c.buyerOrgId === contract.buyer.orgId &&
        Math.abs(daysBetween(contract.signedOn, c.signedOn)) <= this.t.windowDays &&
        this.justUnder(c.techAmountFen),
    );
    if (parts.length + 1 < this.t.minContracts) return null;
    const all = [summaryOf(contract), ...parts].sort((x, y) => x.signedOn.localeCompare(y.signedOn));
    const totalFen = all.reduce((sum, c) => sum + c.techAmountFen, 0);
    return {
      rule: this.rule,
      weight: this.t.weight,
      evidence: all.map(contractRow),
      sentence: {
        zh: `同一买卖双方在${this.t.windowDays}天内签订${all.length}份技术交易额略低于${yuan(this.t.thresholdFen)}元的合同，合计${yuan(totalFen)}元，疑为拆分合同。`,
        en: `The same seller and buyer signed ${all.length} contracts within ${this.t.windowDays} days, each just under ¥${yuan(this.t.thresholdFen)}, together ¥${yuan(totalFen)}: a split contract.`,
      },
    };
  }
}
