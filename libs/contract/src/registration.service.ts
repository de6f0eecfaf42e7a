import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { In, IsNull, Not } from 'typeorm';
import { AuditLog } from '@market/audit';
import { Clock } from '@market/clock';
import { AppConfig } from '@market/config';
import { Actor, OrganizationsService, Role } from '@market/identity';
import { BatchedJob, JobName, OnJobBatch, Outbox, QueueName } from '@market/queue';
import { ContractFacts, factsFromContent, ScreeningService } from '@market/risk';
import { ContractErrors } from './contract.errors';
import { ContractsService } from './contracts.service';
import { signingSide } from './domain/contract-access';
import { CONTRACT_TYPE_LABELS, ContractType } from './domain/contract-content';
import { ContractStatus, moveContract } from './domain/contract-state';
import { shanghaiDate } from './domain/drafting';
import { registeredFacts } from './domain/registered-facts';
import { workingDaysFrom } from './domain/working-days';
import {
  decisionWorkingDays,
  FOURTEEN_DIGITS,
  moveRegistration,
  officeForRegion,
  OPEN_REGISTRATION_STATUSES,
  RegistrationKind,
  RegistrationStatus,
} from './domain/registration';
import {
  DecisionInput,
  ObjectionRulingInput,
  RegistrationQueuePage,
  RegistrationQueueQuery,
  RegistrationVerificationView,
  RegistrationView,
} from './dto/registration.dto';
import { ContractRegistration } from './entities/contract-registration.entity';
import { ContractVersion } from './entities/contract-version.entity';
import { Contract } from './entities/contract.entity';
import { RegistryOffice } from './entities/registry-office.entity';
import { PerformanceService } from './performance.service';
import { RegistrationQueue } from './registration-queue';
import { toRegistrationView } from './registration-views';
import { WorkingCalendarService } from './working-calendar.service';

const SCREENING_NOTE =
  'screened by the risk rules: the office in charge reads the findings (GET /api/v1/contracts/:id/risk)';
const CANCELLATION_NOTE = 'no findings: a cancellation is not screened';

/**
 * Registration (认定登记) of signed contracts by the registry office of the seller's region:
 * application, screening, the auditor's decision on a working-day deadline, documents requests,
 * objections (异议), and cancellation (注销登记). Every step is appended to the contract's audit chain.
 */
@Injectable()
export class RegistrationService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly contracts: ContractsService,
    private readonly organizations: OrganizationsService,
    private readonly calendar: WorkingCalendarService,
    private readonly outbox: Outbox,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly screening: ScreeningService,
    private readonly performance: PerformanceService,
    private readonly queueRanks: RegistrationQueue,
  ) {}

  private get registrations() {
    return this.txHost.tx.getRepository(ContractRegistration);
  }

  /** The seller side applies (卖方登记) with a signed contract, to the office covering its region. */
  async submit(actor: Actor, contractId: string): Promise<RegistrationView> {
    return this.txHost.withTransaction(async () => {
      const contract = await this.contracts.lockVisible(actor, contractId);
      if (signingSide(actor, contract) !== 'seller') throw ContractErrors.notSellerSide();
      moveContract(contract, ContractStatus.Submitted, 'be submitted for registration');
      const version = await this.contracts.currentVersion(contract);
      const officeId = await this.officeFor(version.content.seller.regionCode);
      contract.registryOfficeId = officeId;
      await this.txHost.tx.getRepository(Contract).save(contract);
      const registration = await this.open(
        actor,
        contract,
        RegistrationKind.Initial,
        officeId,
        RegistrationStatus.Screening,
      );
      await this.outbox.add(JobName.ContractSubmitted, {
        contractId,
        registrationId: registration.id,
        officeId,
        kind: registration.kind,
        submittedAt: this.clock.now().toISOString(),
      });
      return toRegistrationView(registration);
    });
  }

  /**
   * Screening, on its own job, batched: the applications the worker holds at once are screened
   * together by the risk context (`ScreeningService.screenApplications`, one transaction, its reads
   * set-wise), then each enters review. A cancellation is not screened. The contract side's own
   * bookkeeping is set-wise too: one statement locks the batch's applications, one its contracts,
   * one reads their versions; one updates the applications, one the contracts, one brings the
   * auditors' queue rows in step, and the audit entries are appended to every chain at once.
   */
  @OnJobBatch(QueueName.Contracts, JobName.ContractSubmitted)
  async onSubmitted(jobs: BatchedJob<JobName.ContractSubmitted>[]): Promise<void> {
    const payloadOf = new Map(jobs.map(({ payload }) => [payload.registrationId, payload]));
    if (payloadOf.size === 0) return;
    const tx = this.txHost.tx;
    // Each registration once, locked in a fixed order (by id) so concurrent batches cannot deadlock;
    // then their contracts, in id order too.
    const registrations = (
      await this.registrations.find({
        where: { id: In([...payloadOf.keys()]) },
        order: { id: 'ASC' },
        lock: { mode: 'pessimistic_write' },
      })
    ).filter((r) => r.status === RegistrationStatus.Screening);
    if (registrations.length === 0) return;
    const contractIds = [...new Set(registrations.map((r) => r.contractId))].sort();
    const contracts = await tx.getRepository(Contract).find({
      where: { id: In(contractIds) },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    const contractOf = new Map(contracts.map((c) => [c.id, c]));
    const screenedKinds = registrations.filter((r) => r.kind !== RegistrationKind.Cancellation);
    const versions = screenedKinds.length
      ? await tx.getRepository(ContractVersion).find({
          where: screenedKinds.map((r) => ({ contractId: r.contractId, version: r.contractVersion })),
        })
      : [];
    const versionOf = new Map(versions.map((v) => [`${v.contractId}:${v.version}`, v]));

    const open: { registration: ContractRegistration; contract: Contract; facts: ContractFacts | null; at: Date }[] =
      [];
    for (const registration of registrations) {
      const payload = payloadOf.get(registration.id)!;
      const contract = contractOf.get(registration.contractId);
      if (!contract) throw ContractErrors.notFound(registration.contractId);
      let facts: ContractFacts | null = null;
      if (registration.kind !== RegistrationKind.Cancellation) {
        const version = versionOf.get(`${contract.id}:${registration.contractVersion}`);
        if (!version) throw new Error(`registration ${registration.id} names a missing version`);
        const signedAt = [version.sellerSignedAt, version.buyerSignedAt].filter((d): d is Date => d !== null);
        const signedOn = shanghaiDate(
          signedAt.length ? new Date(Math.max(...signedAt.map((d) => d.getTime()))) : new Date(payload.submittedAt),
        );
        facts = factsFromContent({
          contractId: contract.id,
          version: version.version,
          registryOfficeId: registration.officeId,
          signedOn,
          content: version.content,
        });
      }
      open.push({ registration, contract, facts, at: new Date(payload.submittedAt) });
    }
    const screened = open.filter((o) => o.facts !== null);
    const results = await this.screening.screenApplications(
      screened.map((o) => ({ appliedAt: o.at, facts: o.facts! })),
    );
    const findingsOf = new Map(screened.map((o, i) => [o.registration.id, results[i].findings]));

    // The findings are the office's (GET /contracts/:id/risk): the registration, which the parties
    // read, keeps only that it was screened; the auditors' queue reads the score from risk_score.
    const now = this.clock.now();
    const moved = new Set<Contract>();
    for (const { registration, contract } of open) {
      moveRegistration(registration, RegistrationStatus.UnderReview, 'be screened');
      registration.screening = {
        findings: [],
        note: registration.kind === RegistrationKind.Cancellation ? CANCELLATION_NOTE : SCREENING_NOTE,
      };
      registration.screenedAt = now;
      if (contract.status === ContractStatus.Submitted) {
        moveContract(contract, ContractStatus.UnderReview, 'enter review');
        moved.add(contract);
      }
    }
    await tx.query(
      `UPDATE contract_registration r SET status = u.status, screening = u.screening, screened_at = $4
         FROM unnest($1::uuid[], $2::text[], $3::jsonb[]) AS u (id, status, screening)
        WHERE r.id = u.id`,
      [
        open.map((o) => o.registration.id),
        open.map((o) => o.registration.status),
        open.map((o) => JSON.stringify(o.registration.screening)),
        now,
      ],
    );
    // Written in SQL, so the queue rows are brought in step here (the subscriber sees TypeORM's writes only).
    await this.queueRanks.sync(open.map((o) => o.registration.id));
    if (moved.size > 0) {
      await tx.query(
        `UPDATE contract c SET status = u.status, updated_at = CURRENT_TIMESTAMP
           FROM unnest($1::uuid[], $2::text[]) AS u (id, status)
          WHERE c.id = u.id`,
        [[...moved].map((c) => c.id), [...moved].map((c) => c.status)],
      );
    }
    // One entry per application on its contract's chain, in the applications' order.
    await this.audit.appendMany(
      open.map(({ registration, contract }) => ({
        chain: `contract:${contract.id}`,
        actorId: null,
        action: 'registration.screened',
        detail: { registrationId: registration.id, findings: findingsOf.get(registration.id) ?? 0 },
      })),
    );
  }

  /** An auditor of the office in charge decides an application under review. */
  async decide(actor: Actor, contractId: string, input: DecisionInput): Promise<RegistrationView> {
    return this.txHost.withTransaction(async () => {
      const contract = await this.contracts.lock(contractId);
      const registration = await this.lockForOffice(actor, contractId, OPEN_REGISTRATION_STATUSES);
      if (registration.status !== RegistrationStatus.UnderReview) {
        throw ContractErrors.registrationState(registration.status, 'be decided');
      }
      const now = this.clock.now();
      const initial = registration.kind === RegistrationKind.Initial;
      let registered = false;
      switch (input.decision) {
        case 'register': {
          moveRegistration(registration, RegistrationStatus.Registered, 'be registered');
          registered = true;
          if (initial) {
            registration.registrationNumber = await this.nextNumber(registration.officeId, now);
            moveContract(contract, ContractStatus.Registered, 'be registered');
          } else if (registration.kind === RegistrationKind.Change) {
            await this.contracts.putChangeInForce(contract, registration.contractVersion);
            await this.performance.retrack(contract, actor.userId);
          } else if (registration.kind === RegistrationKind.Cancellation) {
            moveContract(contract, ContractStatus.Terminated, 'be cancelled');
            await this.performance.endPerformance(contract);
            contract.closedReason = `注销登记: ${registration.decisionReason ?? input.reason ?? 'cancellation registered'}`;
            await this.performance.notify(contract, 'terminated', `「${contract.projectName}」合同已终止（注销登记）`, {
              reason: contract.closedReason,
            });
          }
          break;
        }
        case 'refuse': {
          if (!input.grounds?.length || !input.reason) {
            throw ContractErrors.decisionIncomplete('A refusal cites one or more grounds and gives a reason');
          }
          moveRegistration(registration, RegistrationStatus.Refused, 'be refused');
          registration.grounds = input.grounds;
          if (initial) moveContract(contract, ContractStatus.Refused, 'be refused');
          break;
        }
        case 'request_documents': {
          if (!input.reason) throw ContractErrors.decisionIncomplete('Say which documents are missing (reason)');
          moveRegistration(registration, RegistrationStatus.DocumentsRequested, 'ask for documents');
          registration.documentsRequested = input.reason;
          registration.deadlineOn = null;
          if (initial) moveContract(contract, ContractStatus.DocumentsRequested, 'wait for documents');
          break;
        }
        case 'confirm_false': {
          if (!input.reason) throw ContractErrors.decisionIncomplete('A false contract is confirmed with a reason');
          if (!initial) throw ContractErrors.registrationState(registration.kind, 'be confirmed false');
          moveRegistration(registration, RegistrationStatus.ConfirmedFalse, 'be confirmed false');
          moveContract(contract, ContractStatus.ConfirmedFalse, 'be confirmed false');
          break;
        }
      }
      if (input.decision !== 'request_documents') {
        registration.decidedBy = actor.userId;
        registration.decidedAt = now;
        registration.decisionReason = input.reason ?? registration.decisionReason;
      }
      await this.registrations.save(registration);
      await this.txHost.tx.getRepository(Contract).save(contract);
      if (input.decision !== 'request_documents' && registration.kind !== RegistrationKind.Cancellation) {
        // The risk context keeps the decision with every finding; the credit records take it too.
        await this.outbox.add(JobName.RegistrationDecided, {
          contractId,
          sellerOrganizationId: contract.sellerOrganizationId,
          buyerOrganizationId: contract.buyerOrganizationId,
          brokerOrganizationId: contract.brokerOrganizationId,
          outcome:
            input.decision === 'register' ? 'registered' : input.decision === 'refuse' ? 'refused' : 'confirmed_false',
          registrationNumber: registration.registrationNumber,
          decidedBy: actor.userId,
          decidedAt: now.toISOString(),
          reason: input.reason ?? null,
        });
      }
      if (input.decision === 'register') await this.announceRegistered(contract, registration, now);
      await this.audit.append(`contract:${contractId}`, {
        actorId: actor.userId,
        action: `registration.${input.decision}`,
        reason: input.reason ?? null,
        detail: {
          registrationId: registration.id,
          kind: registration.kind,
          grounds: input.grounds ?? [],
          registrationNumber: registration.registrationNumber,
          contractStatus: contract.status,
        },
      });
      // Performance is tracked from registration (after the decision, in its chain and transaction).
      if (initial && registered) await this.performance.track(contract);
      return toRegistrationView(registration);
    });
  }

  /** The seller side supplies the documents asked for: the full period starts again from today (2024 draft). */
  async supplyDocuments(actor: Actor, contractId: string, note: string): Promise<RegistrationView> {
    return this.txHost.withTransaction(async () => {
      const contract = await this.contracts.lockVisible(actor, contractId);
      if (signingSide(actor, contract) !== 'seller') throw ContractErrors.notSellerSide();
      const registration = await this.lockLatest(contractId);
      moveRegistration(registration, RegistrationStatus.UnderReview, 'receive documents');
      await this.restartPeriod(registration);
      if (contract.status === ContractStatus.DocumentsRequested) {
        moveContract(contract, ContractStatus.UnderReview, 'return to review');
        await this.txHost.tx.getRepository(Contract).save(contract);
      }
      await this.registrations.save(registration);
      await this.audit.append(`contract:${contractId}`, {
        actorId: actor.userId,
        action: 'registration.documents_supplied',
        reason: note,
        detail: {
          registrationId: registration.id,
          acceptedOn: registration.acceptedOn,
          deadlineOn: registration.deadlineOn,
        },
      });
      return toRegistrationView(registration);
    });
  }

  /** An auditor marks the case disputed: the extended period applies, from the same acceptance day. */
  async markDisputed(actor: Actor, contractId: string, reason: string): Promise<RegistrationView> {
    return this.txHost.withTransaction(async () => {
      const registration = await this.lockForOffice(actor, contractId, OPEN_REGISTRATION_STATUSES);
      registration.disputedReason = reason;
      registration.workingDays = this.periodOf(registration.technologyAmountFen, true);
      if (registration.deadlineOn) {
        registration.deadlineOn = await this.calendar.addWorkingDays(registration.acceptedOn, registration.workingDays);
      }
      await this.registrations.save(registration);
      await this.audit.append(`contract:${contractId}`, {
        actorId: actor.userId,
        action: 'registration.disputed',
        reason,
        detail: { registrationId: registration.id, deadlineOn: registration.deadlineOn },
      });
      return toRegistrationView(registration);
    });
  }

  /** A refused applicant objects (异议), once per refusal. */
  async object(actor: Actor, contractId: string, reason: string): Promise<RegistrationView> {
    return this.txHost.withTransaction(async () => {
      const contract = await this.contracts.lockVisible(actor, contractId);
      if (signingSide(actor, contract) !== 'seller') throw ContractErrors.notSellerSide();
      const registration = await this.lockLatest(contractId);
      if (registration.status !== RegistrationStatus.Refused) {
        throw ContractErrors.registrationState(registration.status, 'be objected to');
      }
      if (registration.objectedAt) throw ContractErrors.objectionTaken();
      registration.objectionReason = reason;
      registration.objectedAt = this.clock.now();
      await this.registrations.save(registration);
      await this.audit.append(`contract:${contractId}`, {
        actorId: actor.userId,
        action: 'registration.objection_raised',
        reason,
        detail: { registrationId: registration.id },
      });
      return toRegistrationView(registration);
    });
  }

  /** Another auditor of the office rules on the objection: upheld, the application is reviewed again. */
  async ruleObjection(actor: Actor, contractId: string, input: ObjectionRulingInput): Promise<RegistrationView> {
    return this.txHost.withTransaction(async () => {
      const contract = await this.contracts.lock(contractId);
      const registration = await this.lockForOffice(actor, contractId, [RegistrationStatus.Refused]);
      if (!registration.objectedAt || registration.objectionOutcome) {
        throw ContractErrors.registrationState('without an objection to rule on', 'be ruled on');
      }
      if (registration.decidedBy === actor.userId) throw ContractErrors.sameAuditor();
      registration.objectionOutcome = input.outcome;
      registration.objectionRuledBy = actor.userId;
      registration.objectionRulingReason = input.reason;
      if (input.outcome === 'upheld') {
        moveRegistration(registration, RegistrationStatus.UnderReview, 'be reviewed again');
        await this.restartPeriod(registration);
        if (contract.status === ContractStatus.Refused) {
          moveContract(contract, ContractStatus.UnderReview, 'be reviewed again');
          await this.txHost.tx.getRepository(Contract).save(contract);
        }
      }
      await this.registrations.save(registration);
      await this.audit.append(`contract:${contractId}`, {
        actorId: actor.userId,
        action: `registration.objection_${input.outcome}`,
        reason: input.reason,
        detail: { registrationId: registration.id },
      });
      return toRegistrationView(registration);
    });
  }

  /**
   * A change to a registered contract, signed by both parties, is registered as a change (变更登记):
   * the seller side applies to the office in charge; until the office registers it the registered
   * version stays in force.
   */
  async requestChange(actor: Actor, contractId: string): Promise<RegistrationView> {
    return this.txHost.withTransaction(async () => {
      const contract = await this.contracts.lockVisible(actor, contractId);
      if (signingSide(actor, contract) !== 'seller') throw ContractErrors.notSellerSide();
      if (![ContractStatus.Registered, ContractStatus.Performing].includes(contract.status)) {
        throw ContractErrors.invalidState(contract.status, 'take a change registration');
      }
      const pending = await this.contracts.pendingChange(contract);
      if (!pending || !pending.sellerSignedAt || !pending.buyerSignedAt) {
        throw ContractErrors.invalidState(contract.status, 'take a change registration before both sign the change');
      }
      if (await this.registrations.existsBy({ contractId, status: In([...OPEN_REGISTRATION_STATUSES]) })) {
        throw ContractErrors.registrationState('open', 'take another application');
      }
      const registration = await this.open(
        actor,
        contract,
        RegistrationKind.Change,
        contract.registryOfficeId!,
        RegistrationStatus.UnderReview,
        pending.version,
      );
      return toRegistrationView(registration);
    });
  }

  /** Ending a registered contract early needs a cancellation registration (注销登记), applied for by the seller side. */
  async requestCancellation(actor: Actor, contractId: string, reason: string): Promise<RegistrationView> {
    return this.txHost.withTransaction(async () => {
      const contract = await this.contracts.lockVisible(actor, contractId);
      if (signingSide(actor, contract) !== 'seller') throw ContractErrors.notSellerSide();
      return toRegistrationView(await this.openCancellation(actor, contract, reason));
    });
  }

  /**
   * Opens the cancellation application (注销登记) of a registered contract, locked by the caller: the
   * seller side's own application, or the one a termination both parties agreed to opens.
   */
  async openCancellation(actor: Actor, contract: Contract, reason: string): Promise<ContractRegistration> {
    if (![ContractStatus.Registered, ContractStatus.Performing].includes(contract.status)) {
      throw ContractErrors.invalidState(contract.status, 'be cancelled');
    }
    if (await this.registrations.existsBy({ contractId: contract.id, status: In([...OPEN_REGISTRATION_STATUSES]) })) {
      throw ContractErrors.registrationState('open', 'take another application');
    }
    const registration = await this.open(
      actor,
      contract,
      RegistrationKind.Cancellation,
      contract.registryOfficeId!,
      RegistrationStatus.UnderReview,
    );
    registration.decisionReason = reason;
    return this.registrations.save(registration);
  }

  /**
   * The office's queue: open applications and objections to rule on; the overdue and nearly due
   * first (by deadline, and flagged), then the rest by risk score; awaited documents after the others
   * of their score. Read from the office's ranking rows (`RegistrationQueue`), a page at a time.
   */
  async queue(actor: Actor, query: RegistrationQueueQuery): Promise<RegistrationQueuePage> {
    const today = shanghaiDate(this.clock.now());
    const year = Number(today.slice(0, 4));
    const dueSoon = this.config.registration.dueSoonWorkingDays;
    const { total, calendarOf, rows } = await this.queueRanks.page(
      actor.organizationId,
      today,
      dueSoon,
      [year - 1, year + 1],
      query.limit,
      query.offset,
    );
    const daysLeft = workingDaysFrom(
      today,
      rows.flatMap((row) => (row.deadline_on ? [row.deadline_on] : [])),
      calendarOf,
    );
    return {
      total,
      items: rows.map((row) => {
        const left = row.deadline_on ? daysLeft.get(row.deadline_on)! : null;
        const objection = row.objected_at !== null && row.objection_outcome === null;
        return {
          registrationId: row.id,
          contractId: row.contract_id,
          kind: row.kind,
          status: row.status,
          projectName: row.project_name,
          sellerName: row.seller_name,
          buyerName: row.buyer_name,
          technologyAmountFen: Number(row.technology_amount_fen),
          acceptedOn: row.accepted_on,
          deadlineOn: row.deadline_on,
          workingDaysLeft: left,
          flag: objection
            ? 'objection'
            : left === null
              ? null
              : left < 0
                ? 'overdue'
                : left <= dueSoon
                  ? 'due_soon'
                  : null,
          disputed: row.disputed_reason !== null,
          screeningFindings: Number(row.findings),
          riskScore: row.score ?? null,
          riskFlagged: row.flagged ?? null,
        };
      }),
    };
  }

  /** Anyone may check a number: it answers with what the certificate shows, nothing more. */
  async verify(number: string): Promise<RegistrationVerificationView> {
    const registration = FOURTEEN_DIGITS.pattern.test(number)
      ? await this.registrations.findOneBy({ registrationNumber: number })
      : null;
    if (!registration) throw ContractErrors.noApplication(number);
    return this.certificateFacts(registration);
  }

  /** What a certificate shows of a registered contract. */
  async certificateFacts(registration: ContractRegistration): Promise<RegistrationVerificationView> {
    const contract = await this.txHost.tx.getRepository(Contract).findOneByOrFail({ id: registration.contractId });
    const versions = await this.contracts.versionsOf(contract.id);
    // The version in force: after a change registration, the changed one (same number).
    const content = (versions.find((v) => v.version === contract.currentVersion) ?? versions[versions.length - 1])
      .content;
    const office = await this.organizations.get(registration.officeId);
    const type = content.contractType ?? ContractType.Transfer;
    return {
      registrationNumber: registration.registrationNumber!,
      projectName: content.projectName,
      contractType: type,
      contractTypeLabel: CONTRACT_TYPE_LABELS[type],
      sellerName: content.seller.name,
      buyerName: content.buyer.name,
      totalAmountFen: content.totalAmountFen,
      technologyAmountFen: content.technologyAmountFen,
      validFrom: content.validFrom,
      validUntil: content.validUntil,
      registeredOn: shanghaiDate(registration.decidedAt!),
      officeName: office.name,
      valid: contract.status !== ContractStatus.Terminated,
    };
  }

  /** The registered application of a contract the actor may see (for its certificate). */
  async registeredOf(actor: Actor, contractId: string): Promise<ContractRegistration> {
    await this.contracts.view(actor, contractId);
    const registration = await this.registrations.findOne({
      where: { contractId, kind: RegistrationKind.Initial, registrationNumber: Not(IsNull()) },
    });
    if (!registration) throw ContractErrors.noApplication(contractId);
    return registration;
  }

  /** The contract's newest application, for its detail view. */
  async latestOf(contractId: string): Promise<RegistrationView | null> {
    const latest = await this.registrations.findOne({
      where: { contractId },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
    return latest && toRegistrationView(latest);
  }

  // ---- internals ----

  private async open(
    actor: Actor,
    contract: Contract,
    kind: RegistrationKind,
    officeId: string,
    status: RegistrationStatus,
    versionNumber?: number,
  ): Promise<ContractRegistration> {
    const version =
      versionNumber === undefined
        ? await this.contracts.currentVersion(contract)
        : (await this.contracts.versionsOf(contract.id)).find((v) => v.version === versionNumber)!;
    const technologyAmountFen = version.content.technologyAmountFen;
    const acceptedOn = shanghaiDate(this.clock.now());
    const workingDays = this.periodOf(technologyAmountFen, false);
    const registration = await this.registrations.save(
      this.registrations.create({
        contractId: contract.id,
        contractVersion: version.version,
        kind,
        officeId,
        status,
        submittedBy: actor.userId,
        acceptedOn,
        deadlineOn: await this.calendar.addWorkingDays(acceptedOn, workingDays),
        workingDays,
        technologyAmountFen,
        disputedReason: null,
        screening: null,
        screenedAt: null,
        documentsRequested: null,
        grounds: [],
        decisionReason: null,
        decidedBy: null,
        decidedAt: null,
        registrationNumber: null,
        objectionReason: null,
        objectedAt: null,
        objectionOutcome: null,
        objectionRuledBy: null,
        objectionRulingReason: null,
      }),
    );
    await this.audit.append(`contract:${contract.id}`, {
      actorId: actor.userId,
      action: `registration.applied`,
      detail: { registrationId: registration.id, kind, officeId, acceptedOn, deadlineOn: registration.deadlineOn },
    });
    return registration;
  }

  /**
   * What now counts, in the decision's transaction (the outbox): a registration with the facts of
   * the version registered, a change with the new version's facts (still counted on the first
   * registration's day), a cancellation.
   */
  private async announceRegistered(contract: Contract, registration: ContractRegistration, now: Date): Promise<void> {
    const at = now.toISOString();
    if (registration.kind === RegistrationKind.Cancellation) {
      await this.outbox.add(JobName.ContractRegistrationCancelled, {
        registrationId: registration.id,
        contractId: contract.id,
        at,
      });
      return;
    }
    const first =
      registration.kind === RegistrationKind.Initial
        ? registration
        : await this.registrations.findOneByOrFail({
            contractId: contract.id,
            kind: RegistrationKind.Initial,
            status: RegistrationStatus.Registered,
          });
    const version = (await this.contracts.versionsOf(contract.id)).find(
      (v) => v.version === registration.contractVersion,
    );
    if (!version) throw new Error(`registration ${registration.id} names a missing version`);
    const facts = registeredFacts({
      contractId: contract.id,
      listingId: contract.listingId,
      version: version.version,
      registrationNumber: first.registrationNumber!,
      registeredOn: shanghaiDate(first.decidedAt ?? now),
      content: version.content,
    });
    const job =
      registration.kind === RegistrationKind.Initial ? JobName.ContractRegistered : JobName.ContractRegistrationChanged;
    await this.outbox.add(job, { registrationId: registration.id, at, facts });
  }

  private periodOf(technologyAmountFen: number, disputed: boolean): number {
    return decisionWorkingDays(technologyAmountFen, disputed, this.config.registration);
  }

  private async restartPeriod(registration: ContractRegistration): Promise<void> {
    registration.acceptedOn = shanghaiDate(this.clock.now());
    registration.deadlineOn = await this.calendar.addWorkingDays(registration.acceptedOn, registration.workingDays);
  }

  private async officeFor(regionCode: string): Promise<string> {
    const candidates = [regionCode, `${regionCode.slice(0, 4)}00`, `${regionCode.slice(0, 2)}0000`];
    const rows = (await this.txHost.tx.query(
      `SELECT region_code, organization_id FROM registry_office_region WHERE region_code = ANY($1)`,
      [candidates],
    )) as { region_code: string; organization_id: string }[];
    const office = officeForRegion(regionCode, new Map(rows.map((r) => [r.region_code, r.organization_id])));
    if (!office) throw ContractErrors.regionNotCovered(regionCode);
    return office;
  }

  /**
   * The next serial of the office's registration point this year, in the decision's transaction:
   * the counter row is locked until commit, so concurrent decisions take 1, 2, 3 … and a decision
   * that rolls back gives its number back — no gap, no duplicate.
   */
  private async nextNumber(officeId: string, now: Date): Promise<string> {
    const office = await this.txHost.tx.getRepository(RegistryOffice).findOneByOrFail({ organizationId: officeId });
    const year = Number(shanghaiDate(now).slice(0, 4));
    const pointCode = `${office.regionCode.slice(0, 4)}${office.registrationPoint}`;
    const [{ last_serial: serial }] = (await this.txHost.tx.query(
      `INSERT INTO registration_counter (year, point_code, last_serial) VALUES ($1, $2, 1)
       ON CONFLICT (year, point_code) DO UPDATE SET last_serial = registration_counter.last_serial + 1
       RETURNING last_serial`,
      [year, pointCode],
    )) as { last_serial: number }[];
    return FOURTEEN_DIGITS.format({
      year,
      provinceCode: office.regionCode.slice(0, 2),
      cityCode: office.regionCode.slice(2, 4),
      registrationPoint: office.registrationPoint,
      serial,
    });
  }

  /** The contract's open (or given-status) application at the actor's office; a 404 to anyone else. */
  private async lockForOffice(
    actor: Actor,
    contractId: string,
    statuses: readonly RegistrationStatus[],
  ): Promise<ContractRegistration> {
    const registration = actor.roles.includes(Role.Auditor)
      ? await this.registrations.findOne({
          where: { contractId, officeId: actor.organizationId, status: In([...statuses]) },
          order: { createdAt: 'DESC' },
          lock: { mode: 'pessimistic_write' },
        })
      : null;
    if (!registration) throw ContractErrors.noApplication(contractId);
    return registration;
  }

  private async lockLatest(contractId: string): Promise<ContractRegistration> {
    const registration = await this.registrations.findOne({
      where: { contractId },
      order: { createdAt: 'DESC', id: 'DESC' },
      lock: { mode: 'pessimistic_write' },
    });
    if (!registration) throw ContractErrors.noApplication(contractId);
    return registration;
  }
}
