import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { In, IsNull, Not } from 'typeorm';
import { AuditLog } from '@market/audit';
import { Clock } from '@market/clock';
import { Actor } from '@market/identity';
import { DepositOpening, DepositPurpose, DepositsService, DepositStatus } from '@market/payments';
import { JobName, JobPayloads, OnJob, Outbox, QueueName } from '@market/queue';
import { ContractErrors } from './contract.errors';
import { ContractsService } from './contracts.service';
import { sideOf } from './domain/contract-access';
import { Milestone, MilestoneKind } from './domain/contract-content';
import { ContractStatus, moveContract } from './domain/contract-state';
import { shanghaiDate } from './domain/drafting';
import {
  DONE_MILESTONE_STATUSES,
  dueAt,
  evidenceProblem,
  MilestoneStatus,
  moveMilestone,
  OPEN_MILESTONE_STATUSES,
  planRetrack,
} from './domain/milestone-state';
import { EvidenceUpload, MilestoneProgressView } from './dto/performance.dto';
import { Contract } from './entities/contract.entity';
import { ContractEvidence, ContractMilestone } from './entities/contract-milestone.entity';
import { EvidenceStorage } from './evidence-storage';
import { ContractTermination } from './entities/contract-termination.entity';
import { TerminationStatus, withdrawOnEnd } from './domain/termination';

/**
 * Performance tracking (履行跟踪) of a registered contract: its milestones come due through delayed
 * jobs and are marked overdue (the parties and the broker are told); a party delivers with evidence,
 * the other accepts or disputes; payment milestones are paid through the payments port, once; the
 * contract completes when every milestone is done.
 */
@Injectable()
export class PerformanceService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly contracts: ContractsService,
    private readonly deposits: DepositsService,
    private readonly evidence: EvidenceStorage,
    private readonly outbox: Outbox,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  private get milestones() {
    return this.txHost.tx.getRepository(ContractMilestone);
  }

  /**
   * Called in the registration decision's transaction: the registered version's milestones are
   * tracked from now, each with its due job; performance starts with the validity (at once when
   * it has started, else by a delayed job).
   */
  async track(contract: Contract): Promise<void> {
    const version = await this.contracts.currentVersion(contract);
    for (const m of version.content.milestones) await this.trackOne(contract, m);
    const validFrom = version.content.validFrom;
    const today = shanghaiDate(this.clock.now());
    if (!validFrom || validFrom <= today) await this.start(contract);
    else {
      const startsAt = new Date(`${validFrom}T00:00:00+08:00`);
      await this.outbox.add(
        JobName.ContractPerformanceStart,
        { contractId: contract.id, startsAt: startsAt.toISOString() },
        { runAt: startsAt },
      );
    }
  }

  /**
   * Called in the decision's transaction when the office registers a change (变更登记): the
   * milestones tracked are re-derived from the version now in force (`planRetrack`). Done ones stay
   * as they were; open ones take the new terms (a moved due date gets a new due job, keyed per
   * milestone, so the old job finds its deadline moved; an overdue one is pending again until that
   * job checks it); new ones are tracked; dropped ones are superseded and kept as history. A payment
   * asked for an amount that no longer stands is called off.
   */
  async retrack(contract: Contract, actorId: string): Promise<void> {
    const version = await this.contracts.currentVersion(contract);
    const live = await this.milestones.find({
      where: { contractId: contract.id, status: Not(MilestoneStatus.Superseded) },
      lock: { mode: 'pessimistic_write' },
    });
    const plan = planRetrack(live, version.content.milestones);
    const row = (key: string) => live.find((m) => m.key === key)!;
    for (const key of plan.supersede) {
      const old = row(key);
      moveMilestone(old, MilestoneStatus.Superseded, 'be superseded');
      await this.callOffPayment(old);
      await this.milestones.save(old);
    }
    for (const change of plan.update) {
      const m = row(change.key);
      if (m.amountFen !== change.next.amountFen) await this.callOffPayment(m);
      m.title = change.next.title;
      m.dueOn = change.next.dueOn;
      m.amountFen = change.next.amountFen;
      if (change.rescheduled) {
        if (m.status === MilestoneStatus.Overdue) {
          moveMilestone(m, MilestoneStatus.Pending, 'be rescheduled');
          m.overdueAt = null;
        }
        await this.scheduleDue(contract, m);
      }
      await this.milestones.save(m);
    }
    for (const m of plan.add) await this.trackOne(contract, m);
    await this.audit.append(`contract:${contract.id}`, {
      actorId,
      action: 'milestones.retracked',
      detail: {
        version: version.version,
        kept: plan.keep,
        updated: plan.update.map((u) => u.key),
        rescheduled: plan.update.filter((u) => u.rescheduled).map((u) => u.key),
        added: plan.add.map((m) => m.key),
        superseded: plan.supersede,
      },
    });
    await this.completeIfDone(contract);
  }

  @OnJob(QueueName.Contracts, JobName.ContractPerformanceStart)
  async onPerformanceStart(payload: JobPayloads[JobName.ContractPerformanceStart]): Promise<void> {
    const contract = await this.contracts.lock(payload.contractId);
    if (contract.status !== ContractStatus.Registered) return;
    if (new Date(payload.startsAt) > this.clock.now()) {
      await this.outbox.add(JobName.ContractPerformanceStart, payload, { runAt: new Date(payload.startsAt) });
      return;
    }
    await this.start(contract);
  }

  /**
   * The due job: a milestone not done by the end of its due day is overdue, and the parties and the
   * broker are told. Done, or already overdue: nothing happens.
   */
  @OnJob(QueueName.Contracts, JobName.ContractMilestoneDue)
  async onMilestoneDue(payload: JobPayloads[JobName.ContractMilestoneDue]): Promise<void> {
    const contract = await this.contracts.lock(payload.contractId);
    const milestone = await this.milestones.findOne({
      where: { id: payload.milestoneId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!milestone || milestone.status !== MilestoneStatus.Pending) return;
    if ([ContractStatus.Completed, ContractStatus.Terminated].includes(contract.status)) return;
    const now = this.clock.now();
    const deadline = milestone.dueOn ? dueAt(milestone.dueOn) : null;
    if (!(await this.outbox.deadlineReached(JobName.ContractMilestoneDue, payload, deadline, payload.dueAt, now)))
      return;
    moveMilestone(milestone, MilestoneStatus.Overdue, 'become overdue');
    milestone.overdueAt = now;
    await this.milestones.save(milestone);
    // On the credit record of the party that owed it (the buyer pays, the seller delivers).
    const owing =
      milestone.kind === MilestoneKind.Payment ? contract.buyerOrganizationId : contract.sellerOrganizationId;
    await this.outbox.add(JobName.ContractMilestoneMissed, creditFacts(milestone, owing, now));
    await this.audit.append(`contract:${contract.id}`, {
      actorId: null,
      action: 'milestone.overdue',
      detail: { milestone: milestone.key, dueOn: milestone.dueOn },
    });
    await this.notify(
      contract,
      'milestone_overdue',
      `「${contract.projectName}」履行节点逾期：${milestone.title}（应于${milestone.dueOn}完成）`,
      {
        milestone: milestone.key,
        dueOn: milestone.dueOn,
      },
    );
  }

  async list(actor: Actor, contractId: string): Promise<MilestoneProgressView[]> {
    await this.contracts.view(actor, contractId);
    const rows = await this.milestones.find({ where: { contractId }, order: { dueOn: 'ASC', key: 'ASC' } });
    return this.views(rows);
  }

  /** A party delivers a deliverable milestone, with evidence (kept with its hash, size and checked type). */
  async complete(actor: Actor, contractId: string, key: string, input: EvidenceUpload): Promise<MilestoneProgressView> {
    return this.txHost.withTransaction(async () => {
      const { contract, milestone } = await this.lockMilestone(actor, contractId, key);
      if (!sideOf(actor, contract)) throw ContractErrors.notAParty();
      if (milestone.kind !== MilestoneKind.Deliverable)
        throw ContractErrors.wrongMilestoneKind(milestone.kind, 'be delivered');
      const { bytes } = input.file;
      const problem = evidenceProblem(input.file.contentType, bytes);
      if (problem) throw ContractErrors.evidenceRefused(problem);
      moveMilestone(milestone, MilestoneStatus.Submitted, 'be delivered');
      const stored = await this.evidence.put({
        contractId,
        milestoneId: milestone.id,
        fileName: input.file.fileName,
        contentType: input.file.contentType,
        bytes,
        uploadedBy: actor.userId,
      });
      milestone.evidenceId = stored.id;
      milestone.submittedByOrganizationId = actor.organizationId;
      milestone.submittedAt = this.clock.now();
      milestone.disputeReason = null;
      await this.milestones.save(milestone);
      await this.audit.append(`contract:${contractId}`, {
        actorId: actor.userId,
        action: 'milestone.delivered',
        reason: input.note ?? null,
        detail: { milestone: key, evidence: stored.id, sha256: stored.sha256, sizeBytes: stored.sizeBytes },
      });
      return (await this.views([milestone]))[0];
    });
  }

  /** The other party accepts (done) or disputes (to be delivered again) what was delivered. */
  async resolve(
    actor: Actor,
    contractId: string,
    key: string,
    outcome: 'accept' | 'dispute',
    reason?: string,
  ): Promise<MilestoneProgressView> {
    return this.txHost.withTransaction(async () => {
      const { contract, milestone } = await this.lockMilestone(actor, contractId, key);
      if (!sideOf(actor, contract)) throw ContractErrors.notAParty();
      if (
        milestone.status === MilestoneStatus.Submitted &&
        milestone.submittedByOrganizationId === actor.organizationId
      ) {
        throw ContractErrors.otherPartyResolves();
      }
      moveMilestone(
        milestone,
        outcome === 'accept' ? MilestoneStatus.Accepted : MilestoneStatus.Disputed,
        `be ${outcome}d`,
      );
      milestone.resolvedBy = actor.userId;
      milestone.resolvedAt = this.clock.now();
      if (outcome === 'dispute') milestone.disputeReason = reason ?? null;
      await this.milestones.save(milestone);
      await this.audit.append(`contract:${contractId}`, {
        actorId: actor.userId,
        action: `milestone.${outcome === 'accept' ? 'accepted' : 'disputed'}`,
        reason: reason ?? null,
        detail: { milestone: key },
      });
      if (outcome === 'accept') {
        await this.announceIfKept(
          milestone,
          milestone.submittedByOrganizationId ?? contract.sellerOrganizationId,
          milestone.submittedAt,
        );
      }
      await this.completeIfDone(contract);
      return (await this.views([milestone]))[0];
    });
  }

  /**
   * The buyer pays a payment milestone through the payments port: a card payment (Stripe) or a bank
   * transfer the operator's finance records. A second request while one is open is refused by the
   * port (one live payment per milestone); once held it is captured and the milestone is paid.
   */
  async pay(actor: Actor, contractId: string, key: string, method?: 'stripe' | 'offline'): Promise<DepositOpening> {
    return this.txHost.withTransaction(async () => {
      const { contract, milestone } = await this.lockMilestone(actor, contractId, key);
      if (sideOf(actor, contract) !== 'buyer') throw ContractErrors.otherPartyResolves();
      if (milestone.kind !== MilestoneKind.Payment) throw ContractErrors.wrongMilestoneKind(milestone.kind, 'be paid');
      if (DONE_MILESTONE_STATUSES.includes(milestone.status))
        throw ContractErrors.milestoneState(milestone.status, 'be paid');
      const opening = await this.deposits.requestDeposit({
        purpose: DepositPurpose.ContractMilestone,
        referenceId: milestone.id,
        payerOrganizationId: contract.buyerOrganizationId,
        amountFen: milestone.amountFen!,
        method,
      });
      milestone.depositId = opening.deposit.id;
      await this.milestones.save(milestone);
      return opening;
    });
  }

  /** A bank transfer recorded by finance is held: the milestone is paid, the money captured. Once. */
  @OnJob(QueueName.Contracts, JobName.DepositHeld)
  async onDepositHeld(payload: JobPayloads[JobName.DepositHeld]): Promise<void> {
    await this.recordPayment(payload, 'held', payload.heldAt);
  }

  /**
   * A card payment captured at once (Stripe's PaymentIntent succeeded): the milestone is paid.
   * Once, however often the event is delivered or the job redelivered.
   */
  @OnJob(QueueName.Contracts, JobName.DepositCaptured)
  async onDepositCaptured(payload: JobPayloads[JobName.DepositCaptured]): Promise<void> {
    await this.recordPayment(payload, 'captured', payload.capturedAt);
  }

  private async recordPayment(
    payload: { depositId: string; purpose: string; referenceId: string; amountFen: number; method: string },
    money: 'held' | 'captured',
    /** When the money reached the market (held or taken): what "on time" is judged by. */
    arrivedAt: string,
  ): Promise<void> {
    if (payload.purpose !== DepositPurpose.ContractMilestone) return;
    const found = await this.milestones.findOneBy({ id: payload.referenceId });
    if (!found) return;
    const contract = await this.contracts.lock(found.contractId);
    const milestone = await this.milestones.findOneOrFail({
      where: { id: found.id },
      lock: { mode: 'pessimistic_write' },
    });
    if (milestone.status === MilestoneStatus.Paid && milestone.depositId === payload.depositId) return;
    if (
      milestone.depositId !== payload.depositId ||
      milestone.status === MilestoneStatus.Superseded ||
      milestone.status === MilestoneStatus.Paid ||
      contract.status === ContractStatus.Terminated
    ) {
      // Called off before it arrived: by a registered change (another amount, or the milestone
      // dropped), or the contract ended (a cancellation registered). A held payment goes back to
      // the payer; one already taken is owed back: marked refund-due on the deposit, for the
      // operator's finance to pay back (refunds are not built in the payments port).
      if (money === 'held') await this.deposits.requestRelease(payload.depositId);
      else await this.deposits.markRefundDue(payload.depositId);
      await this.audit.append(`contract:${contract.id}`, {
        actorId: null,
        action: money === 'held' ? 'milestone.payment_returned' : 'milestone.payment_unmatched',
        detail: { milestone: milestone.key, depositId: payload.depositId, amountFen: payload.amountFen },
      });
      return;
    }
    moveMilestone(milestone, MilestoneStatus.Paid, 'be paid');
    milestone.paidAt = this.clock.now();
    milestone.depositId = payload.depositId;
    await this.milestones.save(milestone);
    if (money === 'held') await this.deposits.requestCapture(payload.depositId);
    await this.announceIfKept(milestone, contract.buyerOrganizationId, new Date(arrivedAt));
    await this.audit.append(`contract:${contract.id}`, {
      actorId: null,
      action: 'milestone.paid',
      detail: {
        milestone: milestone.key,
        depositId: payload.depositId,
        method: payload.method,
        amountFen: payload.amountFen,
      },
    });
    await this.completeIfDone(contract);
  }

  async evidenceFile(actor: Actor, contractId: string, evidenceId: string) {
    await this.contracts.view(actor, contractId);
    const file = await this.evidence.get(evidenceId);
    if (!file || file.contractId !== contractId) throw ContractErrors.milestoneNotFound(evidenceId);
    return file;
  }

  // ---- internals ----

  private async start(contract: Contract): Promise<void> {
    moveContract(contract, ContractStatus.Performing, 'start performing');
    await this.txHost.tx.getRepository(Contract).save(contract);
    await this.audit.append(`contract:${contract.id}`, { actorId: null, action: 'contract.performing' });
  }

  /**
   * A milestone done by the end of its due day, never marked overdue, is kept: announced for the
   * credit record of the party that did it. One without a due date, or a prepaid one, is not.
   */
  private async announceIfKept(milestone: ContractMilestone, owingOrganizationId: string, doneAt: Date | null) {
    if (!milestone.dueOn || !doneAt || milestone.overdueAt !== null || doneAt > dueAt(milestone.dueOn)) return;
    await this.outbox.add(JobName.ContractMilestoneKept, creditFacts(milestone, owingOrganizationId, doneAt));
  }

  private async trackOne(contract: Contract, m: Milestone): Promise<void> {
    const row = await this.milestones.save(
      this.milestones.create({
        contractId: contract.id,
        key: m.key,
        kind: m.kind,
        title: m.title,
        dueOn: m.dueOn,
        amountFen: m.amountFen,
        status: m.prepaid ? MilestoneStatus.Paid : MilestoneStatus.Pending,
        paidAt: m.prepaid ? this.clock.now() : null,
      }),
    );
    if (!m.prepaid) await this.scheduleDue(contract, row);
  }

  /** The milestone's due job; a newer one for the same milestone supersedes the older (DEADLINE_KEYS). */
  private async scheduleDue(contract: Contract, milestone: ContractMilestone): Promise<void> {
    if (!milestone.dueOn) return;
    const at = dueAt(milestone.dueOn);
    await this.outbox.add(
      JobName.ContractMilestoneDue,
      { contractId: contract.id, milestoneId: milestone.id, dueAt: at.toISOString() },
      { runAt: at },
    );
  }

  /**
   * Called in the cancellation registration's transaction (the contract is terminated): every
   * payment asked for and not yet paid is called off, like one a change calls off, and a
   * termination proposal still waiting is withdrawn.
   */
  async endPerformance(contract: Contract): Promise<void> {
    await this.callOffOpenPayments(contract);
    await this.withdrawWaitingTerminations(contract);
  }

  /** A termination proposal still waiting when the contract ends is withdrawn (logged, no notice). */
  private async withdrawWaitingTerminations(contract: Contract): Promise<void> {
    const repository = this.txHost.tx.getRepository(ContractTermination);
    const waiting = await repository.find({
      where: { contractId: contract.id, status: TerminationStatus.Proposed },
      lock: { mode: 'pessimistic_write' },
    });
    for (const row of waiting) {
      if (!withdrawOnEnd(row)) continue;
      row.answeredAt = this.clock.now();
      row.answerReason = `合同已${contract.status === ContractStatus.Completed ? '履行完毕' : '终止'}`;
      await repository.save(row);
      await this.audit.append(`contract:${contract.id}`, {
        actorId: null,
        action: 'termination.withdrawn',
        reason: row.answerReason,
        detail: { terminationId: row.id },
      });
    }
  }

  private async callOffOpenPayments(contract: Contract): Promise<void> {
    const open = await this.milestones.find({
      where: { contractId: contract.id, status: In([...OPEN_MILESTONE_STATUSES]), depositId: Not(IsNull()) },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    for (const milestone of open) {
      await this.callOffPayment(milestone);
      await this.milestones.save(milestone);
    }
  }

  /**
   * A payment asked for but not yet held is called off (a card intent canceled, a transfer no longer
   * expected). Decided on the deposit row as locked here, so a payment arriving meanwhile waits: one
   * already held or taken is left to its own job (deposit.held / deposit.captured), which finds the
   * milestone no longer asking for it and gives it back or marks it owed back (recordPayment).
   */
  private async callOffPayment(milestone: ContractMilestone): Promise<void> {
    if (!milestone.depositId || milestone.status === MilestoneStatus.Paid) return;
    const deposit = (await this.deposits.lockForReference(milestone.id)).find((d) => d.id === milestone.depositId);
    if (deposit?.status === DepositStatus.Pending) await this.deposits.requestRelease(deposit.id);
    milestone.depositId = null;
  }

  private async completeIfDone(contract: Contract): Promise<void> {
    if (contract.status !== ContractStatus.Performing) return;
    const open = await this.milestones.countBy({
      contractId: contract.id,
      status: In([...OPEN_MILESTONE_STATUSES]),
    });
    if (open > 0) return;
    moveContract(contract, ContractStatus.Completed, 'complete');
    await this.txHost.tx.getRepository(Contract).save(contract);
    await this.audit.append(`contract:${contract.id}`, { actorId: null, action: 'contract.completed' });
    await this.withdrawWaitingTerminations(contract);
    await this.notify(contract, 'completed', `「${contract.projectName}」合同已履行完毕`, {});
  }

  /** Tells every member of the seller, the buyer and the broker organization (their inboxes). */
  async notify(contract: Contract, kind: string, title: string, data: Record<string, string | number | null>) {
    const organizationIds = [contract.sellerOrganizationId, contract.buyerOrganizationId];
    if (contract.brokerOrganizationId) organizationIds.push(contract.brokerOrganizationId);
    await this.outbox.add(JobName.ContractNotice, { contractId: contract.id, kind, title, organizationIds, data });
  }

  private async lockMilestone(actor: Actor, contractId: string, key: string) {
    const contract = await this.contracts.lockVisible(actor, contractId);
    const milestone = await this.milestones.findOne({
      where: { contractId, key, status: Not(MilestoneStatus.Superseded) },
      lock: { mode: 'pessimistic_write' },
    });
    if (!milestone) throw ContractErrors.milestoneNotFound(key);
    if (contract.status !== ContractStatus.Performing) throw ContractErrors.notPerforming(contract.status);
    return { contract, milestone };
  }

  private async views(rows: ContractMilestone[]): Promise<MilestoneProgressView[]> {
    const ids = rows.map((r) => r.evidenceId).filter((id): id is string => id !== null);
    const files = ids.length ? await this.txHost.tx.getRepository(ContractEvidence).findBy({ id: In(ids) }) : [];
    return rows.map((m) => {
      const file = files.find((f) => f.id === m.evidenceId);
      return {
        id: m.id,
        key: m.key,
        kind: m.kind,
        title: m.title,
        dueOn: m.dueOn,
        amountFen: m.amountFen,
        status: m.status,
        overdueAt: m.overdueAt?.toISOString() ?? null,
        evidence: file
          ? {
              id: file.id,
              fileName: file.fileName,
              contentType: file.contentType,
              sizeBytes: file.sizeBytes,
              sha256: file.sha256,
            }
          : null,
        disputeReason: m.disputeReason,
        depositId: m.depositId,
        paidAt: m.paidAt?.toISOString() ?? null,
      };
    });
  }
}

/** What the credit records need of a milestone kept or missed. */
function creditFacts(
  milestone: ContractMilestone,
  owingOrganizationId: string,
  at: Date,
): JobPayloads[JobName.ContractMilestoneKept] {
  return {
    contractId: milestone.contractId,
    milestoneId: milestone.id,
    milestoneKey: milestone.key,
    milestoneTitle: milestone.title,
    kind: milestone.kind === MilestoneKind.Payment ? 'payment' : 'deliverable',
    dueOn: milestone.dueOn!,
    owingOrganizationId,
    at: at.toISOString(),
  };
}
