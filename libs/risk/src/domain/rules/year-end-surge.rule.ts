import { Finding, RiskRule } from '../finding';
import { addDays, yearOf } from '../dates';
import { median } from '../robust-stats';
import type { ContractUnderScreening, Neighbourhood } from '../screening-input';
import type { RiskThresholds } from '../thresholds';
import { ContractRule, contractRow, others, summaryOf, yuan } from './rule';

/**
 * A year-end surge: a seller signs, in the last days of the year (tax relief is counted by the
 * year), a technology amount far above its own pace over the year before the window. The pace is
 * the seller's amount over those 365 days scaled to the window's length, so a firm that grows
 * steadily, its contracts spread over the year, keeps up with its own pace — and at least its
 * median sale, so one ordinary sale of a seller that sells a few times a year is no surge. A seller
 * with too little history has nothing to compare with: no finding.
 */
export class YearEndSurgeRule implements ContractRule {
  readonly rule = RiskRule.YearEndSurge;

  constructor(private readonly t: RiskThresholds['yearEndSurge']) {}

  check(contract: ContractUnderScreening, around: Neighbourhood): Finding | null {
    const windowTo = `${yearOf(contract.signedOn)}-12-31`;
    const windowFrom = addDays(windowTo, -(this.t.yearEndDays - 1));
    if (contract.signedOn < windowFrom) return null;
    const sales = others(contract, around.partyContracts).filter((c) => c.sellerOrgId === contract.seller.orgId);
    const historyFrom = addDays(windowFrom, -365);
    const history = sales.filter((c) => c.signedOn >= historyFrom && c.signedOn < windowFrom);
    if (history.length < this.t.minHistoryContracts) return null;
    const inWindow = [
      summaryOf(contract),
      ...sales.filter((c) => c.signedOn >= windowFrom && c.signedOn <= contract.signedOn),
    ];
    const windowFen = inWindow.reduce((sum, c) => sum + c.techAmountFen, 0);
    // A seller with a few sales a year has a tiny pace over 45 days; one ordinary sale is no surge.
    const pace = Math.max(
      (history.reduce((sum, c) => sum + c.techAmountFen, 0) * this.t.yearEndDays) / 365,
      median(history.map((c) => c.techAmountFen)),
    );
    const baselineFen = Math.round(pace);
    const ratio = pace > 0 ? windowFen / pace : Infinity;
    if (ratio < this.t.factor) return null;
    const shownRatio = Number.isFinite(ratio) ? Math.round(ratio * 100) / 100 : 999;
    return {
      rule: this.rule,
      weight: this.t.weight,
      evidence: [
        { kind: 'pace', windowFrom, windowTo, windowFen, baselineFen, ratio: shownRatio },
        ...inWindow.map(contractRow),
      ],
      sentence: {
        zh: `${contract.seller.name}年末${this.t.yearEndDays}天内技术交易额${yuan(windowFen)}元，为其前一年同等时长平均水平${yuan(baselineFen)}元的${shownRatio}倍。`,
        en: `${contract.seller.name} signed ¥${yuan(windowFen)} in the last ${this.t.yearEndDays} days of the year, ${shownRatio}× its own pace of ¥${yuan(baselineFen)} over as many days in the year before.`,
      },
    };
  }
}
