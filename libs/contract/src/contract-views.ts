import type { ContractSummaryView, ContractVersionView, ContractView } from './dto/contract.dto';
import type { RegistrationView } from './dto/registration.dto';
import { checkContract } from './domain/contract-rules';
import type { Contract } from './entities/contract.entity';
import type { ContractVersion } from './entities/contract-version.entity';

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function toContractVersionView(version: ContractVersion): ContractVersionView {
  return {
    version: version.version,
    contentHash: version.contentHash,
    sellerSignedBy: version.sellerSignedBy,
    sellerSignedAt: iso(version.sellerSignedAt),
    buyerSignedBy: version.buyerSignedBy,
    buyerSignedAt: iso(version.buyerSignedAt),
    amendmentReason: version.amendmentReason,
    createdAt: version.createdAt.toISOString(),
  };
}

/** `versions` are all of the contract's versions, oldest first. */
export function toContractView(
  contract: Contract,
  versions: ContractVersion[],
  registration: RegistrationView | null = null,
): ContractView {
  const current = versions.find((v) => v.version === contract.currentVersion);
  if (!current) throw new Error(`contract ${contract.id} lacks its version ${contract.currentVersion}`);
  return {
    id: contract.id,
    status: contract.status,
    source: contract.source,
    tradeId: contract.tradeId,
    listingId: contract.listingId,
    registryOfficeId: contract.registryOfficeId,
    version: contract.currentVersion,
    content: current.content,
    current: toContractVersionView(current),
    versions: versions.map(toContractVersionView),
    violations: checkContract(current.content),
    registration,
    closedReason: contract.closedReason,
    createdAt: contract.createdAt.toISOString(),
    updatedAt: contract.updatedAt.toISOString(),
  };
}

export function toContractSummaryView(contract: Contract): ContractSummaryView {
  return {
    id: contract.id,
    status: contract.status,
    source: contract.source,
    projectName: contract.projectName,
    sellerOrganizationId: contract.sellerOrganizationId,
    buyerOrganizationId: contract.buyerOrganizationId,
    brokerOrganizationId: contract.brokerOrganizationId,
    totalAmountFen: contract.totalAmountFen,
    version: contract.currentVersion,
    updatedAt: contract.updatedAt.toISOString(),
  };
}
