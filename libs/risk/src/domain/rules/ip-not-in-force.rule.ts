import { EvidenceRow, Finding, RiskRule } from '../finding';
import { addDays, addYears } from '../dates';
import type { ContractUnderScreening, ScreenedIpItem } from '../screening-input';
import type { ContractRule } from './rule';

/** The fourth amendment of the Patent Law (in force 1 June 2021) made designs 15 years from 10. */
const DESIGN_TERM_CHANGE = '2021-06-01';

/** Statutory term in years from the filing date (Patent Law art. 42), for the patent kinds. */
function termYears(ip: ScreenedIpItem, filingDate: string): number | null {
  switch (ip.kind) {
    case 'invention_patent':
      return 20;
    case 'utility_model':
      return 10;
    case 'design':
      return filingDate >= DESIGN_TERM_CHANGE ? 15 : 10;
    default:
      return null;
  }
}

/**
 * The filing year a patent number carries: the first four of twelve digits (since 2003), or the
 * first two of eight (before). The year's last day stands for the date, so a fallback never makes
 * a patent expire earlier than it could.
 */
export function filingDateFromNumber(number: string | null): string | null {
  const digits = /^(?:ZL|CN)?(\d{8}|\d{12})\.?[0-9X]?$/i.exec((number ?? '').trim())?.[1];
  if (!digits) return null;
  let year: number;
  if (digits.length === 12) year = Number(digits.slice(0, 4));
  else {
    const yy = Number(digits.slice(0, 2));
    year = yy >= 85 ? 1900 + yy : 2000 + yy;
  }
  return `${year}-12-31`;
}

/** The last day a patent is in force: the day before the anniversary of filing that ends its term. */
export function patentExpiry(ip: ScreenedIpItem): {
  filingDate: string | null;
  fromNumber: boolean;
  expiresOn: string | null;
} {
  const fromNumber = ip.filingDate === null;
  const filingDate = ip.filingDate ?? filingDateFromNumber(ip.number);
  if (!filingDate) return { filingDate: null, fromNumber, expiresOn: null };
  const years = termYears(ip, filingDate);
  return { filingDate, fromNumber, expiresOn: years === null ? null : addDays(addYears(filingDate, years), -1) };
}

/**
 * IP not in force for the contract's term: a lapsed or invalidated right, or a patent whose
 * statutory term ends before the contract does. Expired-patent technology is never registered as
 * a transfer (registration rules); a license cannot outlive the patent.
 */
export class IpNotInForceRule implements ContractRule {
  readonly rule = RiskRule.IpNotInForce;

  constructor(private readonly t: { weight: number }) {}

  check(contract: ContractUnderScreening): Finding | null {
    const evidence: EvidenceRow[] = [];
    const zh: string[] = [];
    const en: string[] = [];
    for (const ip of contract.ipItems) {
      const { filingDate, fromNumber, expiresOn } = patentExpiry(ip);
      const lapsed = ip.legalStatus === 'lapsed' || ip.legalStatus === 'invalidated';
      const expired = expiresOn !== null && expiresOn < contract.validTo;
      if (!lapsed && !expired) continue;
      evidence.push({
        kind: 'ip',
        ipKind: ip.kind,
        number: ip.number,
        filingDate,
        filingDateFromNumber: fromNumber,
        expiresOn,
        legalStatus: ip.legalStatus,
      });
      const label = ip.number ?? ip.kind;
      if (lapsed) {
        zh.push(`${label}法律状态为${ip.legalStatus === 'lapsed' ? '失效' : '被宣告无效'}`);
        en.push(`${label} is ${ip.legalStatus}`);
      } else {
        zh.push(`${label}保护期于${expiresOn}届满，早于合同期限${contract.validTo}`);
        en.push(`${label} expires on ${expiresOn}, before the contract ends on ${contract.validTo}`);
      }
    }
    if (evidence.length === 0) return null;
    return {
      rule: this.rule,
      weight: this.t.weight,
      evidence,
      sentence: {
        zh: `合同所涉知识产权在合同期内不处于有效状态：${zh.join('；')}。`,
        en: `The contract's IP is not in force for its term: ${en.join('; ')}.`,
      },
    };
  }
}
