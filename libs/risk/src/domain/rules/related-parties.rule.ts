import { EvidenceRow, Finding, RiskRule } from '../finding';
import type { ContractUnderScreening, Neighbourhood, OrganizationRelation } from '../screening-input';
import type { RiskThresholds } from '../thresholds';
import type { ContractRule } from './rule';

/** Compares names and addresses as people type them: no spaces, no punctuation, half-width. */
export function normalizeText(value: string | null): string {
  if (!value) return '';
  return value
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

/**
 * Related parties (关联交易 with no real delivery): seller and buyer share a legal representative
 * or a registered address, or one holds at least the configured share of the other, or a third
 * organization holds at least that share of both, or an admin recorded control between them.
 */
export class RelatedPartiesRule implements ContractRule {
  readonly rule = RiskRule.RelatedParties;

  constructor(private readonly t: RiskThresholds['relatedParties']) {}

  check(contract: ContractUnderScreening, around: Neighbourhood): Finding | null {
    const { seller, buyer } = contract;
    const evidence: EvidenceRow[] = [];
    const reasonsZh: string[] = [];
    const reasonsEn: string[] = [];
    const rep = normalizeText(seller.legalRepresentative);
    if (rep && rep === normalizeText(buyer.legalRepresentative)) {
      evidence.push({
        kind: 'relation',
        relationId: null,
        relation: 'same_legal_representative',
        between: [seller.name, buyer.name],
        value: seller.legalRepresentative ?? '',
      });
      reasonsZh.push('法定代表人相同');
      reasonsEn.push('share their legal representative');
    }
    const address = normalizeText(seller.registeredAddress);
    if (address && address === normalizeText(buyer.registeredAddress)) {
      evidence.push({
        kind: 'relation',
        relationId: null,
        relation: 'same_registered_address',
        between: [seller.name, buyer.name],
        value: seller.registeredAddress ?? '',
      });
      reasonsZh.push('注册地址相同');
      reasonsEn.push('share their registered address');
    }
    const pair = new Set([seller.orgId, buyer.orgId]);
    const nameOf = (id: string) => (id === seller.orgId ? seller.name : id === buyer.orgId ? buyer.name : id);
    const row = (r: OrganizationRelation): EvidenceRow => ({
      kind: 'relation',
      relationId: r.relationId,
      relation: r.kind,
      between: [nameOf(r.orgAId), nameOf(r.orgBId)],
      sharePercent: r.sharePercent,
      source: r.source,
    });
    const strong = (r: OrganizationRelation) =>
      r.kind !== 'shareholding' || (r.sharePercent ?? 0) >= this.t.shareholdingPercent;
    const direct = around.relations.filter(
      (r) => pair.has(r.orgAId) && pair.has(r.orgBId) && r.orgAId !== r.orgBId && strong(r),
    );
    if (direct.length > 0) {
      evidence.push(...direct.map(row));
      reasonsZh.push('存在登记的关联关系');
      reasonsEn.push('are linked in the relations table');
    }
    // Sister companies: one holder with a large enough stake in both.
    const holdings = around.relations.filter((r) => r.kind === 'shareholding' && strong(r) && !pair.has(r.orgAId));
    const inSeller = holdings.filter((r) => r.orgBId === seller.orgId);
    const inBuyer = holdings.filter((r) => r.orgBId === buyer.orgId);
    const common = inSeller.filter((a) => inBuyer.some((b) => b.orgAId === a.orgAId));
    if (common.length > 0) {
      for (const a of common) {
        evidence.push(row(a), ...inBuyer.filter((b) => b.orgAId === a.orgAId).map(row));
      }
      reasonsZh.push('由同一股东控股');
      reasonsEn.push('are held by the same shareholder');
    }
    if (evidence.length === 0) return null;
    return {
      rule: this.rule,
      weight: this.t.weight,
      evidence,
      sentence: {
        zh: `卖方${seller.name}与买方${buyer.name}${reasonsZh.join('、')}，属关联方交易。`,
        en: `Seller ${seller.name} and buyer ${buyer.name} ${reasonsEn.join(', ')}: a related-party deal.`,
      },
    };
  }
}
