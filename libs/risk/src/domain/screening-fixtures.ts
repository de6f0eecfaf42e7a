import type { ContractSummary, ContractUnderScreening, Neighbourhood, ScreenedParty } from './screening-input';

/**
 * Builders of screening inputs with plausible defaults, for the rules' specs and the benchmark's
 * generator: each case states only what matters to it.
 */
export function party(orgId: string, overrides: Partial<ScreenedParty> = {}): ScreenedParty {
  return {
    orgId,
    name: overrides.name ?? `${orgId} 有限公司`,
    legalRepresentative: `代表${orgId}`,
    registeredAddress: `湖南省长沙市岳麓区${orgId}路1号`,
    ...overrides,
  };
}

export function contractUnderScreening(overrides: Partial<ContractUnderScreening> = {}): ContractUnderScreening {
  return {
    contractId: 'c-screened',
    number: null,
    type: 'development',
    subKind: 'commissioned',
    technicalField: 'next_gen_it',
    seller: party('seller'),
    buyer: party('buyer'),
    broker: null,
    amountFen: 100_000_000,
    techAmountFen: 100_000_000,
    nonTechItems: [],
    subject: '工业视觉缺陷检测算法研发',
    ipItems: [],
    transferMode: null,
    signedOn: '2026-06-10',
    validFrom: '2026-06-10',
    validTo: '2027-06-09',
    ...overrides,
  };
}

export function otherContract(overrides: Partial<ContractSummary> & { contractId: string }): ContractSummary {
  return {
    number: null,
    sellerOrgId: 'seller',
    sellerName: 'seller 有限公司',
    buyerOrgId: 'buyer',
    buyerName: 'buyer 有限公司',
    amountFen: 100_000_000,
    techAmountFen: 100_000_000,
    signedOn: '2026-03-01',
    validFrom: '2026-03-01',
    validTo: '2027-02-28',
    transferMode: null,
    ipNumbers: [],
    ...overrides,
  };
}

export function neighbourhood(overrides: Partial<Neighbourhood> = {}): Neighbourhood {
  return { partyContracts: [], ipContracts: [], comparables: [], relations: [], ratings: [], ...overrides };
}
