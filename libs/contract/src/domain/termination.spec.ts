import { ContractStatus } from './contract-state';
import { answerTermination, checkProposal, TerminationStatus } from './termination';

/** The stable code of the domain error `run` throws, or null. */
function codeOf(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (error) {
    return (error as { code: string }).code;
  }
}

describe('termination by agreement (协商解除)', () => {
  const proposed = (proposedBySide: 'seller' | 'buyer' = 'seller') => ({
    status: TerminationStatus.Proposed,
    proposedBySide,
  });

  it('is proposed for a registered or performing contract, one proposal at a time', () => {
    expect(codeOf(() => checkProposal(ContractStatus.Performing, false))).toBeNull();
    expect(codeOf(() => checkProposal(ContractStatus.Registered, false))).toBeNull();
    for (const status of [
      ContractStatus.Draft,
      ContractStatus.Signed,
      ContractStatus.Completed,
      ContractStatus.Terminated,
    ]) {
      expect(codeOf(() => checkProposal(status, false))).toBe('CONTRACT.INVALID_STATE');
    }
    expect(codeOf(() => checkProposal(ContractStatus.Performing, true))).toBe('CONTRACT.TERMINATION_WAITING');
  });

  it('is confirmed or declined by the other side only', () => {
    expect(codeOf(() => answerTermination(proposed('seller'), 'seller', 'confirm'))).toBe(
      'CONTRACT.OTHER_PARTY_RESOLVES',
    );
    expect(answerTermination(proposed('seller'), 'buyer', 'confirm')).toBe(TerminationStatus.Agreed);
    expect(answerTermination(proposed('buyer'), 'seller', 'decline')).toBe(TerminationStatus.Declined);
  });

  it('is withdrawn by the side that proposed it only', () => {
    expect(codeOf(() => answerTermination(proposed('seller'), 'buyer', 'withdraw'))).toBe(
      'CONTRACT.PROPOSER_WITHDRAWS',
    );
    expect(answerTermination(proposed('seller'), 'seller', 'withdraw')).toBe(TerminationStatus.Withdrawn);
  });

  it('is answered once', () => {
    for (const status of [TerminationStatus.Agreed, TerminationStatus.Declined, TerminationStatus.Withdrawn]) {
      expect(codeOf(() => answerTermination({ status, proposedBySide: 'seller' }, 'buyer', 'confirm'))).toBe(
        'CONTRACT.TERMINATION_STATE',
      );
    }
  });
});
