import { ContractErrors } from '../contract.errors';
import type { Milestone, MilestoneKind } from './contract-content';

/**
 * A milestone in performance (履行跟踪):
 *   pending → overdue (its due date passed)
 *   pending | overdue → submitted (a deliverable, with evidence) → accepted | disputed → submitted …
 *   pending | overdue → paid (a payment, through the payments port)
 *   overdue → pending (a registered change gave it a new due date)
 *   pending | overdue | submitted | disputed → superseded (a registered change dropped it)
 * Accepted and paid are done; superseded is history; the contract completes when every milestone
 * still tracked is done.
 */
export enum MilestoneStatus {
  Pending = 'pending',
  Overdue = 'overdue',
  Submitted = 'submitted',
  Accepted = 'accepted',
  Disputed = 'disputed',
  Paid = 'paid',
  /** Dropped by a registered change (变更登记): kept as history, no longer tracked. */
  Superseded = 'superseded',
}

const TRANSITIONS: Record<MilestoneStatus, readonly MilestoneStatus[]> = {
  [MilestoneStatus.Pending]: [
    MilestoneStatus.Overdue,
    MilestoneStatus.Submitted,
    MilestoneStatus.Paid,
    MilestoneStatus.Superseded,
  ],
  [MilestoneStatus.Overdue]: [
    MilestoneStatus.Submitted,
    MilestoneStatus.Paid,
    MilestoneStatus.Pending,
    MilestoneStatus.Superseded,
  ],
  [MilestoneStatus.Submitted]: [MilestoneStatus.Accepted, MilestoneStatus.Disputed, MilestoneStatus.Superseded],
  [MilestoneStatus.Disputed]: [MilestoneStatus.Submitted, MilestoneStatus.Superseded],
  [MilestoneStatus.Accepted]: [],
  [MilestoneStatus.Paid]: [],
  // History: a later change that brings the key back tracks it as a new milestone.
  [MilestoneStatus.Superseded]: [],
};

export const DONE_MILESTONE_STATUSES: readonly MilestoneStatus[] = [MilestoneStatus.Accepted, MilestoneStatus.Paid];

/** The statuses that keep a contract from completing: tracked and not done. */
export const OPEN_MILESTONE_STATUSES: readonly MilestoneStatus[] = [
  MilestoneStatus.Pending,
  MilestoneStatus.Overdue,
  MilestoneStatus.Submitted,
  MilestoneStatus.Disputed,
];

/** A milestone as tracked, for re-deriving the tracking from a changed version. */
export interface TrackedMilestone {
  key: string;
  kind: MilestoneKind;
  status: MilestoneStatus;
  title: string;
  dueOn: string | null;
  amountFen: number | null;
}

/**
 * What a registered change (变更登记) does to the milestones tracked, key by key (keys are stable
 * across versions):
 * - `keep`: done (accepted or paid) — performed is performed, whatever the new version says;
 * - `update`: still open, and in the new version — its title, due date and amount become the new
 *   version's (`rescheduled` when the due date moved: a new due job is keyed, an overdue one is
 *   pending again until it is checked once more);
 * - `add`: new in the new version (or back after a change dropped it);
 * - `supersede`: open, and not in the new version — kept as history, no longer tracked.
 * A key whose kind changed is superseded and added afresh (a payment is not a delivery).
 */
export interface RetrackPlan {
  keep: string[];
  update: { key: string; next: Milestone; rescheduled: boolean; termsChanged: boolean }[];
  add: Milestone[];
  supersede: string[];
}

export function planRetrack(tracked: readonly TrackedMilestone[], next: readonly Milestone[]): RetrackPlan {
  const plan: RetrackPlan = { keep: [], update: [], add: [], supersede: [] };
  const byKey = new Map(tracked.map((m) => [m.key, m]));
  const nextKeys = new Set(next.map((m) => m.key));
  for (const m of next) {
    const old = byKey.get(m.key);
    if (!old || old.status === MilestoneStatus.Superseded) plan.add.push(m);
    else if (DONE_MILESTONE_STATUSES.includes(old.status)) plan.keep.push(m.key);
    else if (old.kind !== m.kind) {
      plan.supersede.push(m.key);
      plan.add.push(m);
    } else {
      plan.update.push({
        key: m.key,
        next: m,
        rescheduled: old.dueOn !== m.dueOn,
        termsChanged: old.title !== m.title || old.amountFen !== m.amountFen,
      });
    }
  }
  for (const old of tracked) {
    if (!nextKeys.has(old.key) && OPEN_MILESTONE_STATUSES.includes(old.status)) plan.supersede.push(old.key);
  }
  return plan;
}

export function moveMilestone(milestone: { status: MilestoneStatus }, to: MilestoneStatus, action: string): void {
  if (!TRANSITIONS[milestone.status].includes(to)) throw ContractErrors.milestoneState(milestone.status, action);
  milestone.status = to;
}

/** The end of a due day in Asia/Shanghai (UTC+8): a milestone due on a day is overdue from the next. */
export function dueAt(dueOn: string): Date {
  return new Date(`${dueOn}T16:00:00.000Z`);
}

/** Evidence files: what is accepted, by the bytes they start with (not by the name or declared type). */
export const EVIDENCE_TYPES: Record<string, (bytes: Buffer) => boolean> = {
  'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
};

export const MAX_EVIDENCE_BYTES = 512 * 1024;

/** Null when the file may be kept, else why not. */
export function evidenceProblem(contentType: string, bytes: Buffer): string | null {
  const matches = EVIDENCE_TYPES[contentType];
  if (!matches) return `${contentType} is not accepted: ${Object.keys(EVIDENCE_TYPES).join(', ')}`;
  if (bytes.length === 0) return 'the file is empty';
  if (bytes.length > MAX_EVIDENCE_BYTES) return `the file is over ${MAX_EVIDENCE_BYTES} bytes`;
  if (!matches(bytes)) return `the file's content is not ${contentType}`;
  return null;
}
