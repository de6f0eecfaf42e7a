import { DomainError, NotFoundError } from '@market/http';
import type { ContractStatus } from './domain/contract-state';
import type { RuleViolation } from './domain/contract-rules';

export const ContractErrors = {
  milestoneState: (status: string, action: string) =>
    new DomainError('CONTRACT.MILESTONE_STATE', 'conflict', `The milestone is ${status}; it cannot ${action}`, {
      milestoneStatus: status,
    }),
  milestoneNotFound: (key: string) => new NotFoundError('milestone', key),
  notPerforming: (status: string) =>
    new DomainError('CONTRACT.NOT_PERFORMING', 'conflict', `The contract is ${status}, not performing`, {
      contractStatus: status,
    }),
  wrongMilestoneKind: (kind: string, action: string) =>
    new DomainError('CONTRACT.MILESTONE_KIND', 'unprocessable', `A ${kind} milestone cannot ${action}`),
  evidenceRefused: (reason: string) => new DomainError('CONTRACT.EVIDENCE_REFUSED', 'unprocessable', reason),
  otherPartyResolves: () =>
    new DomainError(
      'CONTRACT.OTHER_PARTY_RESOLVES',
      'forbidden',
      'The other party accepts or disputes what was delivered; the payer pays a payment milestone',
    ),
  terminationWaiting: () =>
    new DomainError(
      'CONTRACT.TERMINATION_WAITING',
      'conflict',
      'A termination proposal is waiting for an answer: confirm, decline or withdraw it first',
    ),
  terminationState: (status: string, action: string) =>
    new DomainError(
      'CONTRACT.TERMINATION_STATE',
      'conflict',
      `The termination proposal is ${status}; it cannot ${action}`,
      {
        terminationStatus: status,
      },
    ),
  terminationNotFound: (id: string) => new NotFoundError('termination', id),
  proposerWithdraws: () =>
    new DomainError(
      'CONTRACT.PROPOSER_WITHDRAWS',
      'forbidden',
      'Only the side that proposed a termination withdraws it',
    ),
  registrationState: (status: string, action: string) =>
    new DomainError('CONTRACT.REGISTRATION_STATE', 'conflict', `The application is ${status}; it cannot ${action}`, {
      registrationStatus: status,
    }),
  regionNotCovered: (regionCode: string) =>
    new DomainError(
      'CONTRACT.REGION_NOT_COVERED',
      'conflict',
      `No registry office covers region ${regionCode}: the seller side cannot apply yet`,
      { regionCode },
    ),
  notSellerSide: () =>
    new DomainError(
      'CONTRACT.NOT_SELLER_SIDE',
      'forbidden',
      'The seller side applies (卖方登记): a member of the seller with a trading role',
    ),
  noApplication: (contractId: string) => new NotFoundError('registration', contractId),
  decisionIncomplete: (message: string) => new DomainError('CONTRACT.DECISION_INCOMPLETE', 'unprocessable', message),
  objectionTaken: () =>
    new DomainError('CONTRACT.OBJECTION_TAKEN', 'conflict', 'An objection (异议) may be raised once per decision'),
  sameAuditor: () =>
    new DomainError(
      'CONTRACT.SAME_AUDITOR',
      'forbidden',
      'An objection is decided by another auditor of the office than the one who refused',
    ),
  notAnOffice: (organizationId: string) =>
    new DomainError(
      'CONTRACT.NOT_AN_OFFICE',
      'unprocessable',
      `Organization ${organizationId} is not a registry office`,
      {
        organizationId,
      },
    ),
  regionTaken: (regionCode: string, officeId: string) =>
    new DomainError('CONTRACT.REGION_TAKEN', 'conflict', `Region ${regionCode} is covered by another office`, {
      regionCode,
      officeId,
    }),
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
