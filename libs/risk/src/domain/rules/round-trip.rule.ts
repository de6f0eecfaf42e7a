import { Finding, RiskRule } from '../finding';
import { daysBetween } from '../dates';
import type { ContractSummary, ContractUnderScreening, Neighbourhood } from '../screening-input';
import type { RiskThresholds } from '../thresholds';
import { ContractRule, contractRow, others, summaryOf, yuan } from './rule';

/**
 * Round trips (资金空转): the screened contract A→B closes a cycle — an earlier B→A, or B→C and
 * C→A — of similar amounts, every leg signed within the window of the screened one. An arrow is a
 * sale: seller → buyer. A renewal (A→B again) is no cycle.
 */
export class RoundTripRule implements ContractRule {
  readonly rule = RiskRule.RoundTrip;

  constructor(private readonly t: RiskThresholds['roundTrip']) {}

  private similar(a: number, b: number): boolean {
    return Math.abs(a - b) <= (this.t.amountTolerancePercent / 100) * Math.max(a, b);
  }

  check(contract: ContractUnderScreening, around: Neighbourhood): Finding | null {
    const self = summaryOf(contract);
    const a = contract.seller.orgId;
    const b = contract.buyer.orgId;
    const near = others(contract, around.partyContracts).filter(
      (c) =>
        Math.abs(daysBetween(contract.signedOn, c.signedOn)) <= this.t.windowDays &&
        this.similar(c.amountFen, self.amountFen),
    );
    let cycle: ContractSummary[] | undefined;
    const back = near.find((c) => c.sellerOrgId === b && c.buyerOrgId === a);
    if (back) cycle = [back];
    if (!cycle) {
      for (const first of near.filter((c) => c.sellerOrgId === b && c.buyerOrgId !== a && c.buyerOrgId !== b)) {
        const second = near.find(
          (c) => c.sellerOrgId === first.buyerOrgId && c.buyerOrgId === a && this.similar(c.amountFen, first.amountFen),
        );
        if (second) {
          cycle = [first, second];
          break;
        }
      }
    }
    if (!cycle) return null;
    const path = [contract.seller.name, contract.buyer.name, ...cycle.map((c) => c.buyerName)].join(' → ');
    return {
      rule: this.rule,
      weight: this.t.weight,
      evidence: [contractRow(self), ...cycle.map(contractRow)],
      sentence: {
        zh: `资金在${path}之间循环：${cycle.length + 1}份金额相近（约${yuan(self.amountFen)}元）的合同在${this.t.windowDays}天内首尾相接。`,
        en: `Money goes round ${path}: ${cycle.length + 1} contracts of similar amounts (about ¥${yuan(self.amountFen)}) close a cycle within ${this.t.windowDays} days.`,
      },
    };
  }
}
