import type { RegisteredContractFacts } from '@market/queue';
import type { ContractContent } from './contract-content';

/** The statistical fields of a registered version (JJ-001), as the contract context announces them. */
export function registeredFacts(input: {
  contractId: string;
  listingId: string | null;
  version: number;
  registrationNumber: string;
  registeredOn: string;
  content: ContractContent;
}): RegisteredContractFacts {
  const { content } = input;
  const party = (p: ContractContent['seller']) => ({
    organizationId: p.organizationId,
    name: p.name,
    kind: p.kind,
    regionCode: p.regionCode,
  });
  return {
    contractId: input.contractId,
    version: input.version,
    registrationNumber: input.registrationNumber,
    registeredOn: input.registeredOn,
    // A registered version has passed the rules: its type is set (TYPE_REQUIRED).
    contractType: content.contractType ?? 'transfer',
    subKind: content.subKind,
    technicalField: content.technicalField,
    projectName: content.projectName,
    listingId: input.listingId,
    seller: party(content.seller),
    buyer: party(content.buyer),
    broker: content.broker && { organizationId: content.broker.organizationId, name: content.broker.name },
    totalAmountFen: content.totalAmountFen,
    technologyAmountFen: content.technologyAmountFen,
    ipKinds: content.ipItems.map((item) => item.kind),
  };
}
