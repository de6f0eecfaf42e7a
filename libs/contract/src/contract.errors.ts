import { DomainError, NotFoundError } from '@market/http';
import type { ContractStatus } from './domain/contract-state';
import type { RuleViolation } from './domain/contract-rules';

export const ContractErrors = {
  notFound: (id: string) => new NotFoundError('contract', id),
  invalidState: (status: ContractStatus, action: string) =>
    new DomainError('CONTRACT.INVALID_STATE', 'conflict', `The contract is ${status}; it cannot ${action}`, {
      contractStatus: status,
    }),
  rulesBroken: (violations: RuleViolation[]) =>
    new DomainError(
      'CONTRACT.RULES_BROKEN',
      'unprocessable',
      `The contract breaks ${violations.length} rule(s): ${violations.map((v) => `${v.rule} (${v.field})`).join(', ')}`,
      { violations },
    ),
  frozen: (version: number) =>
    new DomainError(
      'CONTRACT.VERSION_FROZEN',
      'conflict',
      `Version ${version} has been signed and is frozen; change it by an amendment (POST /contracts/:id/amendments)`,
      { version },
    ),
  staleVersion: (current: number) =>
    new DomainError('CONTRACT.STALE_VERSION', 'conflict', `The current version is ${current}; read it before signing`, {
      currentVersion: current,
    }),
  notAParty: () =>
    new DomainError('CONTRACT.NOT_A_PARTY', 'forbidden', 'Only a member of a party (seller or buyer role) may sign'),
  notEditor: () =>
    new DomainError('CONTRACT.NOT_EDITOR', 'forbidden', 'Only the parties and their broker may change a contract'),
  alreadySigned: (side: string) =>
    new DomainError('CONTRACT.ALREADY_SIGNED', 'conflict', `The ${side} has already signed this version`),
  notClient: (organizationIds: string[]) =>
    new DomainError('CONTRACT.NOT_CLIENT', 'unprocessable', 'Neither party has named your organization its broker', {
      organizationIds,
    }),
  sameParty: () =>
    new DomainError('CONTRACT.SAME_PARTY', 'unprocessable', 'Seller and buyer must be different organizations'),
  brokerRelationshipNotFound: (id: string) => new NotFoundError('broker_relationship', id),
  notABrokerage: (id: string) =>
    new DomainError('CONTRACT.NOT_A_BROKERAGE', 'unprocessable', `Organization ${id} has no broker members`, {
      organizationId: id,
    }),
  relationshipExists: () =>
    new DomainError('CONTRACT.RELATIONSHIP_EXISTS', 'conflict', 'Your organization has already named this broker'),
  relationshipRevoked: () =>
    new DomainError('CONTRACT.RELATIONSHIP_REVOKED', 'conflict', 'The relationship is already revoked'),
};
