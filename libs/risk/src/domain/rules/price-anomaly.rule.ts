import { EvidenceRow, Finding, RiskRule } from '../finding';
import { median, medianAbsoluteDeviation, robustZ } from '../robust-stats';
import type { ContractUnderScreening, Neighbourhood } from '../screening-input';
import type { RiskThresholds } from '../thresholds';
import { ContractRule, yuan } from './rule';

/** How many comparables a finding shows: the closest in time. */
const SHOWN_COMPARABLES = 10;

/**
 * Price anomaly: the technology transaction amount far from registered deals of the same type,
 * sub-kind and technical field. Prices are compared on a log scale (they spread multiplicatively)
 * with the median and MAD, and a finding needs both a robust z-score beyond the threshold and a
 * plain ratio to the median beyond its own (so a tight market does not flag a modest difference).
 * Too few comparables: no finding.
 */
export class PriceAnomalyRule implements ContractRule {
  readonly rule = RiskRule.PriceAnomaly;

  constructor(private readonly t: RiskThresholds['priceAnomaly']) {}

  check(contract: ContractUnderScreening, around: Neighbourhood): Finding | null {
    const comparables = around.comparables.filter((c) => c.contractId !== contract.contractId && c.techAmountFen > 0);
    if (contract.techAmountFen <= 0 || comparables.length < this.t.minComparables) return null;
    const logs = comparables.map((c) => Math.log(c.techAmountFen));
    const centre = median(logs);
    const mad = medianAbsoluteDeviation(logs, centre);
    const z = robustZ(Math.log(contract.techAmountFen), centre, mad);
    const medianFen = Math.round(Math.exp(centre));
    const ratio = contract.techAmountFen / medianFen;
    const far = ratio >= this.t.minRatio || ratio <= 1 / this.t.minRatio;
    if (Math.abs(z) < this.t.robustZ || !far) return null;
    const shown = [...comparables]
      .sort(
        (x, y) =>
          Math.abs(Date.parse(x.signedOn) - Date.parse(contract.signedOn)) -
          Math.abs(Date.parse(y.signedOn) - Date.parse(contract.signedOn)),
      )
      .slice(0, SHOWN_COMPARABLES)
      .map((c): EvidenceRow => ({
        kind: 'comparable',
        contractId: c.contractId,
        number: c.number,
        techAmountFen: c.techAmountFen,
        signedOn: c.signedOn,
      }));
    const high = ratio > 1;
    const times = high ? ratio : 1 / ratio;
    const roundedZ = Number.isFinite(z) ? Math.round(z * 100) / 100 : z > 0 ? 999 : -999;
    return {
      rule: this.rule,
      weight: this.t.weight,
      evidence: [
        {
          kind: 'price',
          medianFen,
          madLog: mad,
          robustZ: roundedZ,
          ratio: Math.round(ratio * 1000) / 1000,
          comparables: comparables.length,
        },
        ...shown,
      ],
      sentence: {
        zh: `技术交易额${yuan(contract.techAmountFen)}元${high ? '高于' : '低于'}${comparables.length}份同类合同中位数${yuan(medianFen)}元的${times.toFixed(1)}倍之${high ? '上' : '下'}。`,
        en: `The technology transaction amount ¥${yuan(contract.techAmountFen)} is ${times.toFixed(1)}× ${high ? 'above' : 'below'} the median ¥${yuan(medianFen)} of ${comparables.length} comparable registered deals.`,
      },
    };
  }
}
