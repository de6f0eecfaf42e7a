import { ContractContent, ContractType, MilestoneKind, Pricing, SUB_KINDS, TECHNICAL_FIELDS } from './contract-content';

/**
 * The checks a contract must pass before it is signed (and so before it can be filed): each names
 * the rule it comes from, so the parties know why the registry would refuse it. A draft may break
 * them while it is being written (a draft from a trade has no validity dates yet); `GET` shows the
 * list, signing refuses with it.
 */
export interface RuleViolation {
  /** Stable code of the rule (`TECH_AMOUNT_WITHIN_TOTAL`). */
  rule: string;
  /** Path of the offending field in the content (`milestones[1].dueOn`). */
  field: string;
  message: string;
  /** Where the rule comes from. */
  source: string;
}

const SRC = {
  form: '技术合同登记表 JJ-001 (registration form)',
  types: '技术合同认定规则 (2001), chapters 2–6; Civil Code arts. 843–887',
  ground1: '技术合同认定规则: refusal ground 1 (invalid or not yet in force)',
  ground3: '技术合同认定规则: refusal ground 3 (parties, subject, price or fees unclear)',
  ground7:
    '技术合同认定规则: refusal ground 7 (required proofs missing); a transfer or license concerns technology the seller holds, with proof of rights',
  mixed:
    '技术合同认定规则: a mixed contract is registered for its technical part, with the non-technical items itemised (技术交易额 ≤ 成交额)',
  transferStats: 'JJ-001: expected new investment and new output are mandatory for transfers',
  license: 'Civil Code arts. 862–866: a license states its scope (field of use, territory, term, exclusivity)',
  payments: 'Market rule (issue 13): fixed payment milestones sum to the fixed price',
  royalty: 'Civil Code art. 846 and 认定规则 on 提成: a running royalty states its rate, basis and period',
  dates: 'Market rule: milestones fall within the contract’s validity',
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const REGION = /^\d{6}$/;

export function checkContract(content: ContractContent): RuleViolation[] {
  const out: RuleViolation[] = [];
  const add = (rule: string, field: string, message: string, source: string) =>
    out.push({ rule, field, message, source });

  if (!content.contractType) add('TYPE_REQUIRED', 'contractType', 'the contract type is required', SRC.types);
  else if (!content.subKind || !SUB_KINDS[content.contractType].includes(content.subKind)) {
    add(
      'SUB_KIND_OF_TYPE',
      'subKind',
      `a ${content.contractType} contract is one of: ${SUB_KINDS[content.contractType].join(', ')}`,
      SRC.types,
    );
  }
  if (content.projectName.trim().length < 4) {
    add('PROJECT_NAME', 'projectName', 'the project name must say what the technology is', SRC.ground3);
  }
  if (!content.technicalField || !(TECHNICAL_FIELDS as readonly string[]).includes(content.technicalField)) {
    add('TECHNICAL_FIELD', 'technicalField', 'one of the ten technical fields is required', SRC.form);
  }
  if (content.seller.organizationId === content.buyer.organizationId) {
    add('PARTIES_DISTINCT', 'buyer', 'seller and buyer must be different organizations', SRC.ground3);
  }
  for (const side of ['seller', 'buyer'] as const) {
    if (!REGION.test(content[side].regionCode)) {
      add('PARTY_REGION', `${side}.regionCode`, 'a 6-digit region code is required', SRC.form);
    }
  }
  const { validFrom, validUntil } = content;
  if (!validFrom || !DATE.test(validFrom)) add('VALIDITY', 'validFrom', 'the validity start is required', SRC.ground1);
  if (!validUntil || !DATE.test(validUntil)) {
    add('VALIDITY', 'validUntil', 'the validity end is required', SRC.ground1);
  } else if (validFrom && validFrom > validUntil) {
    add('VALIDITY', 'validUntil', 'the validity ends before it starts', SRC.ground1);
  }
  if (!(content.totalAmountFen > 0))
    add('PRICE_STATED', 'totalAmountFen', 'the contract amount must be stated', SRC.ground3);
  if (content.technologyAmountFen > content.totalAmountFen) {
    add(
      'TECH_AMOUNT_WITHIN_TOTAL',
      'technologyAmountFen',
      'the technology transaction amount (技术交易额) may not exceed the contract amount (成交额)',
      SRC.mixed,
    );
  } else {
    const itemised = content.nonTechnicalItems.reduce((sum, item) => sum + item.amountFen, 0);
    if (itemised !== content.totalAmountFen - content.technologyAmountFen) {
      add(
        'NON_TECHNICAL_ITEMISED',
        'nonTechnicalItems',
        `the non-technical items (hardware, materials, construction …) must itemise the ${content.totalAmountFen - content.technologyAmountFen} fen between the two amounts; they sum to ${itemised}`,
        SRC.mixed,
      );
    }
  }
  const transferLike = content.contractType === ContractType.Transfer || content.contractType === ContractType.License;
  if (content.contractType === ContractType.Transfer) {
    if (content.expectedNewInvestmentFen === null) {
      add(
        'TRANSFER_INVESTMENT_OUTPUT',
        'expectedNewInvestmentFen',
        'a transfer states its expected new investment',
        SRC.transferStats,
      );
    }
    if (content.expectedNewOutputFen === null) {
      add(
        'TRANSFER_INVESTMENT_OUTPUT',
        'expectedNewOutputFen',
        'a transfer states its expected new output',
        SRC.transferStats,
      );
    }
  }
  if (transferLike) {
    if (content.ipItems.length === 0) {
      add('IP_PROOF', 'ipItems', 'a transfer or license names the rights it concerns', SRC.ground7);
    }
    content.ipItems.forEach((item, i) => {
      if (item.legalStatus === 'lapsed' || item.legalStatus === 'invalidated') {
        add(
          'IP_PROOF',
          `ipItems[${i}].legalStatus`,
          `${item.number ?? item.kind} is ${item.legalStatus}: public-domain technology is not transferred`,
          SRC.ground7,
        );
      }
    });
  }
  if (content.contractType === ContractType.License) {
    if (!content.license || !(content.license.termMonths > 0) || !content.license.fieldOfUse.trim()) {
      add(
        'LICENSE_SCOPE',
        'license',
        'a license states its field of use, territory, term (months) and exclusivity',
        SRC.license,
      );
    }
  }
  const payments = content.milestones.filter((m) => m.kind === MilestoneKind.Payment);
  const paid = payments.reduce((sum, m) => sum + (m.amountFen ?? 0), 0);
  if (content.pricing === Pricing.Fixed) {
    if (content.royalty) add('ROYALTY_TERMS', 'royalty', 'a fixed-price contract has no running royalty', SRC.royalty);
    if (paid !== content.totalAmountFen) {
      add(
        'PAYMENTS_SUM_TO_PRICE',
        'milestones',
        `the payment milestones sum to ${paid} fen, the price is ${content.totalAmountFen}`,
        SRC.payments,
      );
    }
  } else {
    const royalty = content.royalty;
    if (!royalty || !(royalty.rateBasisPoints > 0) || !royalty.basis.trim() || !(royalty.periodMonths > 0)) {
      add('ROYALTY_TERMS', 'royalty', 'a royalty states its rate, basis and period', SRC.royalty);
    }
    if (paid > content.totalAmountFen) {
      add(
        'PAYMENTS_SUM_TO_PRICE',
        'milestones',
        `the down payments (${paid} fen) exceed the contract amount`,
        SRC.payments,
      );
    }
  }
  const keys = new Set<string>();
  content.milestones.forEach((m, i) => {
    if (keys.has(m.key)) add('MILESTONES', `milestones[${i}].key`, `milestone key ${m.key} is used twice`, SRC.ground3);
    keys.add(m.key);
    if (m.kind === MilestoneKind.Payment && !(m.amountFen && m.amountFen > 0)) {
      add('MILESTONES', `milestones[${i}].amountFen`, 'a payment milestone has an amount', SRC.ground3);
    }
    if (m.kind === MilestoneKind.Deliverable && m.amountFen !== null) {
      add('MILESTONES', `milestones[${i}].amountFen`, 'a deliverable milestone has no amount', SRC.ground3);
    }
    if (!m.prepaid && !m.dueOn) add('MILESTONES', `milestones[${i}].dueOn`, 'a milestone has a due date', SRC.ground3);
    if (m.dueOn && !m.prepaid && validFrom && validUntil && (m.dueOn < validFrom || m.dueOn > validUntil)) {
      add(
        'MILESTONE_WITHIN_VALIDITY',
        `milestones[${i}].dueOn`,
        `${m.dueOn} is outside the validity ${validFrom}…${validUntil}`,
        SRC.dates,
      );
    }
  });
  return out;
}
