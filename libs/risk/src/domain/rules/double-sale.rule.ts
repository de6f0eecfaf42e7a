import { Finding, RiskRule } from '../finding';
import { overlaps } from '../dates';
import type { ContractSummary, ContractUnderScreening, Neighbourhood, ScreenedTransferMode } from '../screening-input';
import type { ContractRule } from './rule';
import { contractRow, others, summaryOf } from './rule';

/** Licenses that shut out other licensees for their term. */
const EXCLUSIVE: ReadonlySet<ScreenedTransferMode | null> = new Set(['exclusive_license', 'sole_license']);

/**
 * Double sale: the seller assigns a patent it has already assigned, or grants an exclusive (or
 * sole) license whose term overlaps another exclusive license it granted, or licenses exclusively
 * what it has already assigned away. Sequential non-overlapping licenses, non-exclusive licenses
 * and a buyer reselling what it bought are not double sales.
 */
export class DoubleSaleRule implements ContractRule {
  readonly rule = RiskRule.DoubleSale;

  constructor(private readonly t: { weight: number }) {}

  private conflicts(self: ContractSummary, other: ContractSummary): boolean {
    if (other.sellerOrgId !== self.sellerOrgId) return false;
    const a = self.transferMode;
    const b = other.transferMode;
    if (a === 'assignment' && b === 'assignment') return true;
    if (EXCLUSIVE.has(a) && EXCLUSIVE.has(b))
      return overlaps(self.validFrom, self.validTo, other.validFrom, other.validTo);
    // Licensing what was assigned away earlier: the license runs after the assignment took effect.
    if (EXCLUSIVE.has(a) && b === 'assignment')
      return other.signedOn <= self.signedOn && other.validFrom <= self.validTo;
    if (a === 'assignment' && EXCLUSIVE.has(b))
      return self.signedOn <= other.signedOn && self.validFrom <= other.validTo;
    return false;
  }

  check(contract: ContractUnderScreening, around: Neighbourhood): Finding | null {
    if (contract.transferMode !== 'assignment' && !EXCLUSIVE.has(contract.transferMode)) return null;
    const self = summaryOf(contract);
    const numbers = new Set(self.ipNumbers.map((n) => n.toUpperCase()));
    if (numbers.size === 0) return null;
    const clashes = others(contract, around.ipContracts).filter(
      (c) => c.ipNumbers.some((n) => numbers.has(n.toUpperCase())) && this.conflicts(self, c),
    );
    if (clashes.length === 0) return null;
    const shared = [...new Set(clashes.flatMap((c) => c.ipNumbers.filter((n) => numbers.has(n.toUpperCase()))))];
    const what = contract.transferMode === 'assignment' ? '转让' : '独占（排他）许可';
    const whatEn = contract.transferMode === 'assignment' ? 'assigned' : 'exclusively licensed';
    return {
      rule: this.rule,
      weight: this.t.weight,
      evidence: [contractRow(self), ...clashes.map(contractRow)],
      sentence: {
        zh: `${contract.seller.name}将${shared.join('、')}再次${what}，与其已签订的${clashes.length}份转让或独占许可合同期限重叠。`,
        en: `${contract.seller.name} ${whatEn} ${shared.join(', ')} again, overlapping ${clashes.length} assignment or exclusive license it had already granted.`,
      },
    };
  }
}
