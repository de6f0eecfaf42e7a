import { ContractErrors } from '../contract.errors';

/** What an application asks the office to register. */
export enum RegistrationKind {
  /** 认定登记 */
  Initial = 'initial',
  /** 变更登记 */
  Change = 'change',
  /** 注销登记 */
  Cancellation = 'cancellation',
}

/**
 * An application's life: screening (the risk job) → under_review (⇄ documents_requested) →
 * registered | refused | confirmed_false; a refused one whose objection is upheld is reviewed again.
 */
export enum RegistrationStatus {
  Screening = 'screening',
  UnderReview = 'under_review',
  DocumentsRequested = 'documents_requested',
  Registered = 'registered',
  Refused = 'refused',
  ConfirmedFalse = 'confirmed_false',
}

export const OPEN_REGISTRATION_STATUSES: readonly RegistrationStatus[] = [
  RegistrationStatus.Screening,
  RegistrationStatus.UnderReview,
  RegistrationStatus.DocumentsRequested,
];

const TRANSITIONS: Record<RegistrationStatus, readonly RegistrationStatus[]> = {
  [RegistrationStatus.Screening]: [RegistrationStatus.UnderReview],
  [RegistrationStatus.UnderReview]: [
    RegistrationStatus.DocumentsRequested,
    RegistrationStatus.Registered,
    RegistrationStatus.Refused,
    RegistrationStatus.ConfirmedFalse,
  ],
  [RegistrationStatus.DocumentsRequested]: [RegistrationStatus.UnderReview],
  [RegistrationStatus.Registered]: [],
  [RegistrationStatus.Refused]: [RegistrationStatus.UnderReview],
  [RegistrationStatus.ConfirmedFalse]: [],
};

export function moveRegistration(
  registration: { status: RegistrationStatus },
  to: RegistrationStatus,
  action: string,
): void {
  if (!TRANSITIONS[registration.status].includes(to))
    throw ContractErrors.registrationState(registration.status, action);
  registration.status = to;
}

/** The refusal grounds (未予登记) of the rules (registration-rules digest, "Grounds for refusal"). */
export const REFUSAL_GROUNDS = {
  invalid_or_not_in_force: '合同无效或者尚未生效',
  not_technology_contract: '不属于技术合同',
  unclear_terms: '当事人、标的、价款或报酬不明确',
  approval_missing: '应当办理审批手续而未办理',
  name_mismatch: '合同名称与权利义务不一致',
  restrictive_clauses: '非法垄断技术或者妨碍技术进步',
  proofs_missing: '未提交应当提交的证明文件',
  seals_mismatch: '印章缺失或与当事人名称不符',
  subject_unclear: '技术标的不清，登记人员难以认定',
  infringes_others: '侵害他人技术成果',
  other: '其他情形',
} as const;
export type RefusalGround = keyof typeof REFUSAL_GROUNDS;

/**
 * The office for a seller's region: the office covering that exact code, else its city (the first
 * four digits + 00), else its province (the first two + 0000). Null when none covers it.
 */
export function officeForRegion(regionCode: string, coverage: Map<string, string>): string | null {
  return (
    coverage.get(regionCode) ??
    coverage.get(`${regionCode.slice(0, 4)}00`) ??
    coverage.get(`${regionCode.slice(0, 2)}0000`) ??
    null
  );
}

/** The registration number's parts: year 2, province 2, city 2, registration point 2, serial 6. */
export interface RegistrationNumberParts {
  year: number;
  provinceCode: string;
  cityCode: string;
  registrationPoint: string;
  serial: number;
}

/** Pluggable: the national system may issue longer numbers one day. */
export interface RegistrationNumberFormat {
  format(parts: RegistrationNumberParts): string;
  pattern: RegExp;
}

export const FOURTEEN_DIGITS: RegistrationNumberFormat = {
  format: ({ year, provinceCode, cityCode, registrationPoint, serial }) => {
    if (serial > 999_999) throw new Error('the serial of a registration point overflowed six digits this year');
    return `${String(year % 100).padStart(2, '0')}${provinceCode.padStart(2, '0')}${cityCode.padStart(2, '0')}${registrationPoint.padStart(2, '0')}${String(serial).padStart(6, '0')}`;
  },
  pattern: /^\d{14}$/,
};

/** The period an office has: the extended one for a large amount or a disputed case (2024 draft). */
export function decisionWorkingDays(
  technologyAmountFen: number,
  disputed: boolean,
  settings: { decisionWorkingDays: number; extendedWorkingDays: number; extendedAmountFen: number },
): number {
  return disputed || technologyAmountFen >= settings.extendedAmountFen
    ? settings.extendedWorkingDays
    : settings.decisionWorkingDays;
}
