import type { RegistrationView } from './dto/registration.dto';
import type { ContractRegistration } from './entities/contract-registration.entity';

export function toRegistrationView(r: ContractRegistration): RegistrationView {
  return {
    id: r.id,
    contractId: r.contractId,
    contractVersion: r.contractVersion,
    kind: r.kind,
    officeId: r.officeId,
    status: r.status,
    acceptedOn: r.acceptedOn,
    deadlineOn: r.deadlineOn,
    workingDays: r.workingDays,
    disputedReason: r.disputedReason,
    screening: r.screening as RegistrationView['screening'],
    documentsRequested: r.documentsRequested,
    grounds: r.grounds,
    decisionReason: r.decisionReason,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    registrationNumber: r.registrationNumber,
    objectionReason: r.objectionReason,
    objectionOutcome: r.objectionOutcome,
    objectionRulingReason: r.objectionRulingReason,
  };
}
