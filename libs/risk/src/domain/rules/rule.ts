import type { EvidenceRow, Finding, RiskRule } from '../finding';
import type { ContractSummary, ContractUnderScreening, Neighbourhood } from '../screening-input';

/** A false-contract rule: pure, given the contract and its neighbourhood; null when it does not fire. */
export interface ContractRule {
  readonly rule: RiskRule;
  check(contract: ContractUnderScreening, around: Neighbourhood): Finding | null;
}

/** 1,234,567.89 — fen shown as yuan with two decimals, for the sentences. */
export function yuan(fen: number): string {
  return (fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function contractRow(c: ContractSummary): EvidenceRow {
  return {
    kind: 'contract',
    contractId: c.contractId,
    number: c.number,
    sellerName: c.sellerName,
    buyerName: c.buyerName,
    amountFen: c.amountFen,
    techAmountFen: c.techAmountFen,
    signedOn: c.signedOn,
    validFrom: c.validFrom,
    validTo: c.validTo,
    transferMode: c.transferMode,
  };
}

/** The screened contract in the shape of another contract, so rules can treat both alike. */
export function summaryOf(c: ContractUnderScreening): ContractSummary {
  return {
    contractId: c.contractId,
    number: c.number,
    sellerOrgId: c.seller.orgId,
    sellerName: c.seller.name,
    buyerOrgId: c.buyer.orgId,
    buyerName: c.buyer.name,
    amountFen: c.amountFen,
    techAmountFen: c.techAmountFen,
    signedOn: c.signedOn,
    validFrom: c.validFrom,
    validTo: c.validTo,
    transferMode: c.transferMode,
    ipNumbers: c.ipItems.map((ip) => ip.number).filter((n): n is string => n !== null),
  };
}

/** Other contracts only: the loader may hand the screened contract back among its neighbours. */
export function others(contract: ContractUnderScreening, list: ContractSummary[]): ContractSummary[] {
  return list.filter((c) => c.contractId !== contract.contractId);
}
