/**
 * Credit ratings (信用档案) from the events on record. A subject starts at 100 points; each event
 * takes points off (or adds, for a kept promise); the rating is A at 90 or more, B at 75, C at 60,
 * D below. A confirmed false contract alone makes D. Events older than the look-back (three years)
 * no longer count: a record can recover.
 */
export type CreditRatingLetter = 'A' | 'B' | 'C' | 'D';

export enum CreditEventKind {
  /** An auditor confirmed a contract false (虚假技术合同): its parties and broker. */
  ContractConfirmedFalse = 'contract_confirmed_false',
  /** A registration was refused (未予登记): the applicant (seller side) and the broker. */
  RegistrationRefused = 'registration_refused',
  /** A contract was registered: the seller side kept its word on the application. */
  ContractRegistered = 'contract_registered',
  /** An admin upheld an objection (异议) to the organization's listing during its announcement (公示). */
  ObjectionUpheld = 'objection_upheld',
  /** A deal was annulled after an objection to its price announcement (交易价格公示) was upheld: its parties and broker. */
  DealAnnulled = 'deal_annulled',
  /** A contract milestone done by its due day (履行跟踪): the party that owed it. */
  MilestoneKept = 'milestone_kept',
  /** A contract milestone marked overdue: the party that owed it. */
  MilestoneMissed = 'milestone_missed',
}

export const EVENT_POINTS: Record<CreditEventKind, number> = {
  [CreditEventKind.ContractConfirmedFalse]: -45,
  [CreditEventKind.RegistrationRefused]: -10,
  [CreditEventKind.ContractRegistered]: 1,
  [CreditEventKind.ObjectionUpheld]: -15,
  [CreditEventKind.DealAnnulled]: -15,
  [CreditEventKind.MilestoneKept]: 1,
  [CreditEventKind.MilestoneMissed]: -5,
};

export const LOOK_BACK_YEARS = 3;
export const START_POINTS = 100;
const CAP = 100;

export function ratingOf(points: number): CreditRatingLetter {
  if (points >= 90) return 'A';
  if (points >= 75) return 'B';
  if (points >= 60) return 'C';
  return 'D';
}

/** Points from the events that still count (at most 100: kept promises do not bank credit). */
export function pointsOf(events: { kind: CreditEventKind; occurredAt: Date }[], now: Date): number {
  const since = new Date(now);
  since.setUTCFullYear(since.getUTCFullYear() - LOOK_BACK_YEARS);
  const total = events
    .filter((e) => e.occurredAt >= since)
    .reduce((sum, e) => sum + EVENT_POINTS[e.kind], START_POINTS);
  return Math.min(CAP, total);
}
