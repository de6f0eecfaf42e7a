import { ContractErrors } from '../contract.errors';

/**
 * A milestone in performance (履行跟踪):
 *   pending → overdue (its due date passed)
 *   pending | overdue → submitted (a deliverable, with evidence) → accepted | disputed → submitted …
 *   pending | overdue → paid (a payment, through the payments port)
 * Accepted and paid are done; the contract completes when every milestone is.
 */
export enum MilestoneStatus {
  Pending = 'pending',
  Overdue = 'overdue',
  Submitted = 'submitted',
  Accepted = 'accepted',
  Disputed = 'disputed',
  Paid = 'paid',
}

const TRANSITIONS: Record<MilestoneStatus, readonly MilestoneStatus[]> = {
  [MilestoneStatus.Pending]: [MilestoneStatus.Overdue, MilestoneStatus.Submitted, MilestoneStatus.Paid],
  [MilestoneStatus.Overdue]: [MilestoneStatus.Submitted, MilestoneStatus.Paid],
  [MilestoneStatus.Submitted]: [MilestoneStatus.Accepted, MilestoneStatus.Disputed],
  [MilestoneStatus.Disputed]: [MilestoneStatus.Submitted],
  [MilestoneStatus.Accepted]: [],
  [MilestoneStatus.Paid]: [],
};

export const DONE_MILESTONE_STATUSES: readonly MilestoneStatus[] = [MilestoneStatus.Accepted, MilestoneStatus.Paid];

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
