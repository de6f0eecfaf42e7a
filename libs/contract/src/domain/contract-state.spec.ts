import { DomainError } from '@market/http';
import { CONTRACT_TRANSITIONS, ContractStatus, moveContract, sign } from './contract-state';

describe('contract state machine', () => {
  it('moves a contract along every transition of the table', () => {
    for (const [from, targets] of Object.entries(CONTRACT_TRANSITIONS) as [ContractStatus, ContractStatus[]][]) {
      for (const to of targets) {
        const contract = { status: from };
        expect(moveContract(contract, to, 'move')).toBe(from);
        expect(contract.status).toBe(to);
      }
    }
  });

  it('refuses every move the table does not list with CONTRACT.INVALID_STATE naming the current status', () => {
    const all = Object.values(ContractStatus);
    let refused = 0;
    for (const from of all) {
      for (const to of all.filter((s) => !CONTRACT_TRANSITIONS[from].includes(s))) {
        const contract = { status: from };
        let error: unknown;
        try {
          moveContract(contract, to, 'move');
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).code).toBe('CONTRACT.INVALID_STATE');
        expect((error as DomainError).extra).toEqual({ contractStatus: from });
        expect(contract.status).toBe(from);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(90);
  });

  it('follows the registration path of the design: draft → signed → submitted → under review ⇄ documents → registered → performing → completed', () => {
    const contract = { status: ContractStatus.Draft };
    for (const to of [
      ContractStatus.Signed,
      ContractStatus.Submitted,
      ContractStatus.UnderReview,
      ContractStatus.DocumentsRequested,
      ContractStatus.UnderReview,
      ContractStatus.Registered,
      ContractStatus.Performing,
      ContractStatus.Completed,
    ]) {
      moveContract(contract, to, 'move');
    }
    expect(contract.status).toBe(ContractStatus.Completed);
  });

  it('keeps a confirmed false contract, a completed and a terminated one where they are', () => {
    for (const end of [ContractStatus.ConfirmedFalse, ContractStatus.Completed, ContractStatus.Terminated]) {
      expect(CONTRACT_TRANSITIONS[end]).toEqual([]);
    }
  });

  it('completes signing only once both sides signed, and refuses a side signing twice', () => {
    const version = { sellerSignedAt: null, sellerSignedBy: null, buyerSignedAt: null, buyerSignedBy: null } as {
      sellerSignedAt: Date | null;
      sellerSignedBy: string | null;
      buyerSignedAt: Date | null;
      buyerSignedBy: string | null;
    };
    const now = new Date('2026-03-02T02:00:00Z');
    expect(sign(version, 'seller', 'u1', now)).toEqual({ complete: false });
    expect(() => sign(version, 'seller', 'u2', now)).toThrow('already signed');
    expect(sign(version, 'buyer', 'u3', now)).toEqual({ complete: true });
    expect(version).toMatchObject({ sellerSignedBy: 'u1', buyerSignedBy: 'u3' });
  });
});
