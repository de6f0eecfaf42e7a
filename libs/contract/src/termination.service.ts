import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { In } from 'typeorm';
import { AuditLog } from '@market/audit';
import { Clock } from '@market/clock';
import { Actor } from '@market/identity';
import { isUuid } from '@market/http';
import { ContractErrors } from './contract.errors';
import { ContractsService } from './contracts.service';
import { signingSide } from './domain/contract-access';
import { OPEN_REGISTRATION_STATUSES } from './domain/registration';
import { answerTermination, checkProposal, TerminationAnswer, TerminationStatus } from './domain/termination';
import { TerminationView } from './dto/termination.dto';
import { ContractRegistration } from './entities/contract-registration.entity';
import { ContractTermination } from './entities/contract-termination.entity';
import { Contract } from './entities/contract.entity';
import { PerformanceService } from './performance.service';
import { toRegistrationView } from './registration-views';
import { RegistrationService } from './registration.service';

const NOTICE: Record<TerminationStatus, { kind: string; title: (project: string) => string }> = {
  [TerminationStatus.Proposed]: { kind: 'termination_proposed', title: (p) => `「${p}」一方提出协商解除合同` },
  [TerminationStatus.Agreed]: {
    kind: 'termination_agreed',
    title: (p) => `「${p}」双方同意解除合同，已申请注销登记`,
  },
  [TerminationStatus.Declined]: { kind: 'termination_declined', title: (p) => `「${p}」解除合同的提议被拒绝` },
  [TerminationStatus.Withdrawn]: { kind: 'termination_withdrawn', title: (p) => `「${p}」解除合同的提议已撤回` },
};

/**
 * Ending a contract in force by agreement (协商解除): one party proposes it with the reason, the other
 * confirms or declines, the proposer may withdraw. An agreed termination opens the cancellation
 * registration (注销登记) at the office in charge; the contract is terminated, with the agreed
 * reason, when the office registers it. Every step is in the contract's audit chain and told to the
 * parties and the broker.
 */
@Injectable()
export class TerminationService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly contracts: ContractsService,
    private readonly registrations: RegistrationService,
    private readonly performance: PerformanceService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  private get terminations() {
    return this.txHost.tx.getRepository(ContractTermination);
  }

  /** A contract's proposals, newest first: for whoever may see the contract. */
  async list(actor: Actor, contractId: string): Promise<TerminationView[]> {
    await this.contracts.view(actor, contractId);
    const rows = await this.terminations.find({ where: { contractId }, order: { proposedAt: 'DESC', id: 'DESC' } });
    const views: TerminationView[] = [];
    for (const row of rows) views.push(await this.view(row));
    return views;
  }

  /** A party (a member with a trading role) proposes ending the contract, with the reason. */
  async propose(actor: Actor, contractId: string, reason: string): Promise<TerminationView> {
    return this.txHost.withTransaction(async () => {
      const contract = await this.contracts.lockVisible(actor, contractId);
      const side = signingSide(actor, contract);
      if (!side) throw ContractErrors.notAParty();
      checkProposal(
        contract.status,
        await this.terminations.existsBy({ contractId, status: TerminationStatus.Proposed }),
        await this.txHost.tx
          .getRepository(ContractRegistration)
          .existsBy({ contractId, status: In([...OPEN_REGISTRATION_STATUSES]) }),
      );
      const row = await this.terminations.save(
        this.terminations.create({
          contractId,
          status: TerminationStatus.Proposed,
          proposedBySide: side,
          proposedBy: actor.userId,
          proposedAt: this.clock.now(),
          reason,
          answeredBy: null,
          answeredAt: null,
          answerReason: null,
          registrationId: null,
        }),
      );
      await this.record(actor, contract, row, reason);
      return this.view(row);
    });
  }

  /**
   * The other party confirms (the cancellation registration is applied for at once) or declines;
   * the proposing side may withdraw.
   */
  async answer(
    actor: Actor,
    contractId: string,
    terminationId: string,
    answer: TerminationAnswer,
    reason?: string,
  ): Promise<TerminationView> {
    return this.txHost.withTransaction(async () => {
      const contract = await this.contracts.lockVisible(actor, contractId);
      const row = isUuid(terminationId)
        ? await this.terminations.findOne({
            where: { id: terminationId, contractId },
            lock: { mode: 'pessimistic_write' },
          })
        : null;
      if (!row) throw ContractErrors.terminationNotFound(terminationId);
      const side = signingSide(actor, contract);
      if (!side) throw ContractErrors.notAParty();
      answerTermination(row, side, answer);
      row.answeredBy = actor.userId;
      row.answeredAt = this.clock.now();
      row.answerReason = reason ?? null;
      if (row.status === TerminationStatus.Agreed) {
        const cancellation = await this.registrations.openCancellation(actor, contract, `协商解除: ${row.reason}`);
        row.registrationId = cancellation.id;
      }
      await this.terminations.save(row);
      await this.record(actor, contract, row, reason ?? null);
      return this.view(row);
    });
  }

  private async record(actor: Actor, contract: Contract, row: ContractTermination, reason: string | null) {
    await this.audit.append(`contract:${contract.id}`, {
      actorId: actor.userId,
      action: `termination.${row.status}`,
      reason,
      detail: {
        terminationId: row.id,
        proposedBySide: row.proposedBySide,
        terminationReason: row.reason,
        cancellationRegistrationId: row.registrationId,
      },
    });
    const notice = NOTICE[row.status];
    await this.performance.notify(contract, notice.kind, notice.title(contract.projectName), {
      terminationId: row.id,
      reason: row.reason,
      answerReason: row.answerReason,
    });
  }

  private async view(row: ContractTermination): Promise<TerminationView> {
    const cancellation = row.registrationId
      ? await this.txHost.tx.getRepository(ContractRegistration).findOneBy({ id: row.registrationId })
      : null;
    return {
      id: row.id,
      contractId: row.contractId,
      status: row.status,
      proposedBySide: row.proposedBySide,
      proposedBy: row.proposedBy,
      proposedAt: row.proposedAt.toISOString(),
      reason: row.reason,
      answeredBy: row.answeredBy,
      answeredAt: row.answeredAt?.toISOString() ?? null,
      answerReason: row.answerReason,
      cancellation: cancellation && toRegistrationView(cancellation),
    };
  }
}
