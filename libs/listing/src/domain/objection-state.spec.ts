import { DomainError } from '@market/http';
import { moveObjection, ObjectionStatus, objectionTransition, rulingStatus } from './objection-state';

describe('objection state machine', () => {
  it('lets the seller answer an objection awaiting its answer, once', () => {
    const objection = { status: ObjectionStatus.AwaitingAnswer };
    moveObjection(objection, ObjectionStatus.Answered);
    expect(objection.status).toBe(ObjectionStatus.Answered);
    expect(() => moveObjection(objection, ObjectionStatus.Answered)).toThrow(DomainError);
  });

  it('lets an admin rule on an open objection, answered or not', () => {
    for (const from of [ObjectionStatus.AwaitingAnswer, ObjectionStatus.Answered]) {
      expect(objectionTransition(from, rulingStatus('upheld'))).toBe(ObjectionStatus.Upheld);
      expect(objectionTransition(from, rulingStatus('dismissed'))).toBe(ObjectionStatus.Dismissed);
    }
  });

  it('refuses any move of a ruled objection with LISTING.OBJECTION_CLOSED naming its status', () => {
    for (const from of [ObjectionStatus.Upheld, ObjectionStatus.Dismissed]) {
      for (const to of Object.values(ObjectionStatus)) {
        const objection = { status: from };
        expect(() => moveObjection(objection, to)).toThrow(
          expect.objectContaining({ code: 'LISTING.OBJECTION_CLOSED', message: `The objection is ${from}` }),
        );
        expect(objection.status).toBe(from);
      }
    }
  });
});
