import { MilestoneKind } from './contract-content';
import {
  dueAt,
  evidenceProblem,
  MAX_EVIDENCE_BYTES,
  MilestoneStatus,
  moveMilestone,
  planRetrack,
} from './milestone-state';

describe('milestones in performance', () => {
  it('lets a deliverable be disputed and submitted again, and keeps done milestones done', () => {
    const m = { status: MilestoneStatus.Overdue };
    moveMilestone(m, MilestoneStatus.Submitted, 'x');
    moveMilestone(m, MilestoneStatus.Disputed, 'x');
    moveMilestone(m, MilestoneStatus.Submitted, 'x');
    moveMilestone(m, MilestoneStatus.Accepted, 'x');
    expect(() => moveMilestone(m, MilestoneStatus.Submitted, 'be completed')).toThrow('accepted');
    expect(() => moveMilestone({ status: MilestoneStatus.Paid }, MilestoneStatus.Paid, 'be paid')).toThrow('paid');
  });

  it('is due at the end of its day in Asia/Shanghai', () => {
    expect(dueAt('2026-06-01').toISOString()).toBe('2026-06-01T16:00:00.000Z');
  });

  it('keeps evidence only of an accepted type whose bytes match, within the size limit', () => {
    const pdf = Buffer.from('%PDF-1.7\n…');
    expect(evidenceProblem('application/pdf', pdf)).toBeNull();
    expect(evidenceProblem('image/png', pdf)).toContain('not image/png');
    expect(evidenceProblem('application/zip', pdf)).toContain('not accepted');
    expect(evidenceProblem('application/pdf', Buffer.alloc(0))).toBe('the file is empty');
    const big = Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(MAX_EVIDENCE_BYTES)]);
    expect(evidenceProblem('application/pdf', big)).toContain('over');
  });
});

describe('milestones after a registered change (变更登记)', () => {
  const tracked = (key: string, status: MilestoneStatus, dueOn = '2026-06-01', amountFen: number | null = 100) => ({
    key,
    kind: amountFen === null ? MilestoneKind.Deliverable : MilestoneKind.Payment,
    status,
    title: key,
    dueOn,
    amountFen,
  });
  const next = (key: string, dueOn = '2026-06-01', amountFen: number | null = 100) => ({
    key,
    kind: amountFen === null ? MilestoneKind.Deliverable : MilestoneKind.Payment,
    title: key,
    dueOn,
    amountFen,
    prepaid: false,
  });

  it('keeps what was performed, re-derives what is open, adds the new and supersedes the dropped', () => {
    const plan = planRetrack(
      [
        tracked('m1', MilestoneStatus.Paid),
        tracked('m2', MilestoneStatus.Overdue, '2026-04-01', null),
        tracked('m3', MilestoneStatus.Pending),
        tracked('m4', MilestoneStatus.Pending),
      ],
      [next('m1', '2026-05-01', 200), next('m2', '2026-12-01', null), next('m3'), next('m5', '2027-01-01')],
    );
    expect(plan.keep).toEqual(['m1']);
    expect(plan.update.map((u) => [u.key, u.rescheduled, u.termsChanged])).toEqual([
      ['m2', true, false],
      ['m3', false, false],
    ]);
    expect(plan.add.map((m) => m.key)).toEqual(['m5']);
    expect(plan.supersede).toEqual(['m4']);
  });

  it('tracks a dropped key again when a later change brings it back, and a key that changed kind afresh', () => {
    const plan = planRetrack(
      [tracked('m1', MilestoneStatus.Superseded), tracked('m2', MilestoneStatus.Pending)],
      [next('m1'), next('m2', '2026-06-01', null)],
    );
    expect(plan.add.map((m) => m.key)).toEqual(['m1', 'm2']);
    expect(plan.supersede).toEqual(['m2']);
  });

  it('lets an overdue milestone become pending again and an open one be superseded, never a done one', () => {
    const m = { status: MilestoneStatus.Overdue };
    moveMilestone(m, MilestoneStatus.Pending, 'be rescheduled');
    moveMilestone(m, MilestoneStatus.Superseded, 'be superseded');
    expect(() => moveMilestone({ status: MilestoneStatus.Paid }, MilestoneStatus.Superseded, 'be superseded')).toThrow(
      'paid',
    );
  });
});
