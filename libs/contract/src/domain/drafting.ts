import type { AgreedTerms } from '@market/queue';
import {
  ContractBroker,
  ContractContent,
  ContractIpItem,
  ContractParty,
  ContractType,
  Milestone,
  MilestoneKind,
  PartyKind,
  Pricing,
} from './contract-content';

/** A calendar date (YYYY-MM-DD) as people in China read it: Asia/Shanghai, UTC+8 all year. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Organization kinds of the identity context → the party kinds JJ-001 counts. */
export function partyKindOf(organizationKind: string): PartyKind {
  switch (organizationKind) {
    case 'enterprise':
      return PartyKind.Enterprise;
    case 'university':
      return PartyKind.University;
    case 'institute':
      return PartyKind.ResearchInstitute;
    case 'registry':
    case 'operator':
      return PartyKind.OtherPublicInstitution;
    default:
      return PartyKind.Other;
  }
}

const LICENSE_MODES = new Set(['exclusive_license', 'sole_license', 'non_exclusive_license']);

/**
 * Type and sub-kind from the transfer mode and the first IP item: an assignment of a granted
 * patent is a 专利权转让, of a pending one a 专利申请权转让, of know-how a 技术秘密转让; a
 * license follows the same right; 作价投资 is registered as a transfer (技术入股); co-development
 * is a cooperative development contract.
 */
export function typeOf(
  transferMode: string,
  ip: ContractIpItem | undefined,
): { type: ContractType; subKind: string | null } {
  if (transferMode === 'co_development') return { type: ContractType.Development, subKind: 'cooperative' };
  if (transferMode === 'equity') return { type: ContractType.Transfer, subKind: 'equity_investment' };
  const license = LICENSE_MODES.has(transferMode);
  const patent = ip && ['invention_patent', 'utility_model', 'design'].includes(ip.kind);
  let right: string | null = null;
  if (patent)
    right = license ? 'patent_license' : ip.legalStatus === 'pending' ? 'patent_application_right' : 'patent_right';
  else if (ip?.kind === 'know_how') right = license ? 'technical_secret_license' : 'technical_secret';
  else if (ip?.kind === 'software_copyright') right = license ? 'software_copyright_license' : 'software_copyright';
  else if (ip?.kind === 'ic_layout') right = license ? 'ic_layout_license' : 'ic_layout';
  else if (ip?.kind === 'plant_variety') right = license ? 'plant_variety_license' : 'plant_variety';
  return { type: license ? ContractType.License : ContractType.Transfer, subKind: right };
}

/**
 * Milestones from the agreed payment schedule. A deposit already applied (an auction winner's)
 * is the first payment, marked prepaid; the rest of the price is the next payment (a lump sum's
 * balance), or reduces the instalments from the first on.
 */
export function paymentMilestones(terms: AgreedTerms, agreedOn: string): Milestone[] {
  const out: Milestone[] = [];
  const add = (title: string, amountFen: number, dueOn: string | null, prepaid = false) => {
    if (amountFen > 0) {
      out.push({ key: `m${out.length + 1}`, kind: MilestoneKind.Payment, title, amountFen, dueOn, prepaid });
    }
  };
  let deposit = Math.min(terms.depositAppliedFen, terms.priceFen);
  add('保证金转作首付款 (deposit applied to the price)', deposit, agreedOn, true);
  const schedule = terms.paymentSchedule;
  if (schedule.kind === 'lump_sum') {
    add(deposit > 0 ? '尾款 (balance)' : '合同价款 (price)', terms.priceFen - deposit, schedule.dueOn);
  } else if (schedule.kind === 'instalments') {
    schedule.instalments.forEach((instalment, i) => {
      const credited = Math.min(deposit, instalment.amountFen);
      deposit -= credited;
      add(`第${i + 1}期付款 (instalment ${i + 1})`, instalment.amountFen - credited, instalment.dueOn);
    });
  } else {
    add('入门费 (down payment)', schedule.downPaymentFen - deposit, null);
  }
  return out;
}

export interface TradeFacts {
  tradeId: string;
  listingTitle: string;
  agreedAt: string;
  terms: AgreedTerms;
  technicalField: string | null;
  ipItems: ContractIpItem[];
}

/** The draft a trade becomes: everything the trade settled, the rest for the parties to fill in. */
export function draftFromTrade(
  trade: TradeFacts,
  seller: ContractParty,
  buyer: ContractParty,
  broker: ContractBroker | null,
): ContractContent {
  const { terms } = trade;
  const { type, subKind } = typeOf(terms.transferMode, trade.ipItems[0]);
  const royalty = terms.paymentSchedule.kind === 'royalty' ? terms.paymentSchedule : null;
  return {
    contractType: type,
    subKind,
    projectName: trade.listingTitle,
    technicalField: trade.technicalField,
    seller,
    buyer,
    broker,
    validFrom: null,
    validUntil: null,
    totalAmountFen: terms.priceFen,
    technologyAmountFen: terms.priceFen,
    nonTechnicalItems: [],
    expectedNewInvestmentFen: null,
    expectedNewOutputFen: null,
    ipItems: trade.ipItems,
    governmentPlan: null,
    transferMode: terms.transferMode,
    license: terms.license ? { ...terms.license, territory: terms.license.territory } : null,
    pricing: royalty ? Pricing.Royalty : Pricing.Fixed,
    royalty: royalty
      ? {
          rateBasisPoints: royalty.royaltyBasisPoints,
          basis: '净销售额 (net sales)',
          periodMonths: royalty.royaltyTermMonths,
        }
      : null,
    milestones: paymentMilestones(terms, shanghaiDate(new Date(trade.agreedAt))),
  };
}
