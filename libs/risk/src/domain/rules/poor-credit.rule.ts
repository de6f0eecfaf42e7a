import { EvidenceRow, Finding, RiskRule } from '../finding';
import type { ContractUnderScreening, Neighbourhood, RatedSubject } from '../screening-input';
import type { RiskThresholds } from '../thresholds';
import type { ContractRule } from './rule';

/**
 * A party or the broker with a poor credit rating (信用档案): D weighs fully, C by its own smaller
 * weight; the finding weighs as its worst subject. A and B raise nothing.
 */
export class PoorCreditRule implements ContractRule {
  readonly rule = RiskRule.PoorCredit;

  constructor(private readonly t: RiskThresholds['poorCredit']) {}

  check(contract: ContractUnderScreening, around: Neighbourhood): Finding | null {
    const wanted: Array<[RatedSubject['subject'], string]> = [
      ['organization', contract.seller.orgId],
      ['organization', contract.buyer.orgId],
      ...(contract.broker ? [['broker', contract.broker.brokerId] as [RatedSubject['subject'], string]] : []),
    ];
    const poor = around.ratings.filter(
      (r) =>
        (r.rating === 'C' || r.rating === 'D') && wanted.some(([subject, id]) => subject === r.subject && id === r.id),
    );
    const weight = Math.max(0, ...poor.map((r) => (r.rating === 'D' ? this.t.weightD : this.t.weightC)));
    if (poor.length === 0 || weight === 0) return null;
    const evidence = poor.map((r): EvidenceRow => ({
      kind: 'rating',
      subject: r.subject,
      id: r.id,
      name: r.name,
      rating: r.rating,
    }));
    const listZh = poor
      .map((r) => `${r.subject === 'broker' ? '技术经纪人' : ''}${r.name}（${r.rating}级）`)
      .join('、');
    const listEn = poor
      .map((r) => `${r.subject === 'broker' ? 'broker ' : ''}${r.name} (rated ${r.rating})`)
      .join(', ');
    return {
      rule: this.rule,
      weight,
      evidence,
      sentence: { zh: `${listZh}信用评级较差。`, en: `Poor credit: ${listEn}.` },
    };
  }
}
