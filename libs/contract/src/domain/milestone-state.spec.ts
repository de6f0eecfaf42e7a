import { dueAt, evidenceProblem, MAX_EVIDENCE_BYTES, MilestoneStatus, moveMilestone } from './milestone-state';

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
