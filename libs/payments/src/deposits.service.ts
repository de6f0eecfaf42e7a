import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { Clock } from '@market/clock';
import { isUuid, NotFoundError } from '@market/http';
import { Actor } from '@market/identity';
import { JobName, JobPayloads, OnJob, Outbox, QueueName } from '@market/queue';
import { mayReadDeposit, mayRecordReceiptFor, mayRecordReceipts } from './deposit-access';
import { toDepositView } from './deposit-view';
import {
  capturedAtOnce,
  DepositMethod,
  DepositPurpose,
  DepositStatus,
  instruction,
  IntentSnapshot,
  LIVE_STATUSES,
  moveDeposit,
  MoveSource,
  releaseOutcome,
  statusAfterStripeEvent,
} from './domain/deposit-state';
import { DepositOpening, DepositRequest, DepositView } from './dto/deposit.dto';
import { Deposit } from './entities/deposit.entity';
import { PaymentGateways } from './gateways/payment-gateways';
import { PaymentsErrors } from './payments.errors';

/**
 * The deposits port other contexts use (an auction holds a bidder's deposit, then asks for the
 * losers' to be released and the winner's captured). Every public method joins the caller's
 * transaction or opens one, locks the deposit row before changing it, is safe to call again with
 * the same arguments, and never moves money itself: the provider is called only from this
 * service's own jobs, after the decision committed.
 */
@Injectable()
export class DepositsService {
  private readonly logger = new Logger(DepositsService.name);

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly gateways: PaymentGateways,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  private get repository() {
    return this.txHost.tx.getRepository(Deposit);
  }

  /**
   * Opens a deposit: a card authorisation to confirm in the browser, or a reference for a bank
   * transfer. The provider is asked before the row is written, so no row ever lacks its intent;
   * if the write then fails, the intent is left unconfirmed (its secret was never shown), which
   * holds no money.
   */
  async requestDeposit(request: DepositRequest): Promise<DepositOpening> {
    DepositsService.check(request);
    const method = (request.method as DepositMethod | undefined) ?? this.gateways.defaultMethod;
    const gateway = this.gateways.for(method);
    return this.txHost.withTransaction(async () => {
      const live = await this.findLive(request.referenceId, request.payerOrganizationId);
      if (live) throw PaymentsErrors.depositAlreadyLive(live.id);
      const id = randomUUID();
      const opening = await gateway.open({ ...request, id, stripePaymentIntentId: null });
      // A concurrent request for the same reference loses on deposit_live_uq (a 409).
      const deposit = await this.repository.save(
        this.repository.create({
          id,
          purpose: request.purpose as DepositPurpose,
          referenceId: request.referenceId,
          payerOrganizationId: request.payerOrganizationId,
          amountFen: request.amountFen,
          method,
          status: DepositStatus.Pending,
          stripePaymentIntentId: opening.stripe?.paymentIntentId ?? null,
          offlineReference: opening.bankTransfer?.reference ?? null,
          receiptRecordedBy: null,
          failureReason: null,
          heldAt: null,
          releasedAt: null,
          capturedAt: null,
          refundDueAt: null,
        }),
      );
      return {
        deposit: toDepositView(deposit),
        ...(opening.stripe && { stripe: opening.stripe }),
        ...(opening.bankTransfer && {
          bankTransfer: {
            reference: opening.bankTransfer.reference,
            amountFen: deposit.amountFen,
            instructions: `Transfer ${(deposit.amountFen / 100).toFixed(2)} CNY to the market's deposit account and quote ${opening.bankTransfer.reference} in the remark; the deposit is held once the market's finance records its arrival.`,
          },
        }),
      };
    });
  }

  /**
   * The operator (finance or admin) saw the bank transfer arrive: the deposit is held. Recording it
   * again changes nothing. A clerk of the paying organization may not record it.
   */
  async recordOfflineReceipt(depositId: string, actor: Actor): Promise<DepositView> {
    if (!mayRecordReceipts(actor)) throw PaymentsErrors.receiptByOperatorOnly();
    return this.txHost.withTransaction(async () => {
      const deposit = await this.lock(depositId);
      if (!mayRecordReceiptFor(actor, deposit.payerOrganizationId)) throw PaymentsErrors.ownDeposit(depositId);
      if (deposit.method !== DepositMethod.Offline) throw PaymentsErrors.notOffline(depositId);
      if (deposit.status === DepositStatus.Held) return toDepositView(deposit);
      if (deposit.status !== DepositStatus.Pending) throw PaymentsErrors.closed(depositId, deposit.status);
      deposit.receiptRecordedBy = actor.userId;
      return toDepositView(await this.moveTo(deposit, DepositStatus.Held));
    });
  }

  /**
   * Records that the deposit is to be captured (applied to the price) and queues the job that asks
   * the provider: money moves after the books. Inside the caller's transaction, so the decision
   * and the job commit together with whatever else the caller decided.
   */
  async requestCapture(depositId: string): Promise<DepositView> {
    return this.instruct(depositId, 'capture');
  }

  /** Records that the deposit is to be given back (a pending one called off) and queues the job that does it. */
  async requestRelease(depositId: string): Promise<DepositView> {
    return this.instruct(depositId, 'release');
  }

  private async instruct(depositId: string, decision: 'capture' | 'release'): Promise<DepositView> {
    return this.txHost.withTransaction(async () => {
      const deposit = await this.lock(depositId);
      const plan = instruction(deposit.status, decision);
      if (plan.action === 'refuse') {
        throw decision === 'capture'
          ? PaymentsErrors.notHeld(depositId, deposit.status)
          : PaymentsErrors.alreadyCaptured(depositId);
      }
      if (plan.action === 'none') return toDepositView(deposit);
      await this.moveTo(deposit, plan.to);
      await this.outbox.add(decision === 'capture' ? JobName.DepositCapture : JobName.DepositRelease, { depositId });
      return toDepositView(deposit);
    });
  }

  /**
   * The job behind requestCapture: the provider is asked with an idempotency key, then the outcome
   * recorded. Runs in the job's transaction, under the row lock: if the commit is lost after the
   * provider answered, the rerun repeats the call with the same key and gets the same answer.
   */
  @OnJob(QueueName.Payments, JobName.DepositCapture)
  async onCaptureDue(payload: JobPayloads[JobName.DepositCapture]): Promise<void> {
    const deposit = await this.lock(payload.depositId);
    // Captured already (a rerun), or the hold lapsed before the capture (the webhook released it).
    if (deposit.status !== DepositStatus.Capturing) return;
    await this.capture(deposit);
  }

  /** The job behind requestRelease, under the same rules as onCaptureDue. */
  @OnJob(QueueName.Payments, JobName.DepositRelease)
  async onReleaseDue(payload: JobPayloads[JobName.DepositRelease]): Promise<void> {
    const deposit = await this.lock(payload.depositId);
    if (deposit.status !== DepositStatus.Releasing) return;
    await this.release(deposit);
  }

  /**
   * Moves the money of a deposit settlement told to capture. Private to its job on purpose: a
   * caller that moved money inside its own transaction and then rolled back would leave money moved
   * with no record; other contexts ask with requestCapture.
   */
  private async capture(deposit: Deposit): Promise<void> {
    await this.gateways.for(deposit.method).capture(deposit);
    await this.moveTo(deposit, DepositStatus.Captured);
  }

  /** Gives back (or calls off) a deposit settlement told to release; private for the same reason. */
  private async release(deposit: Deposit): Promise<void> {
    const outcome = await this.gateways.for(deposit.method).release(deposit);
    if (outcome === 'captured') {
      // The payer's card was charged before the call-off reached the provider (a payment taken at
      // once): the money is with the market, announced (deposit.captured) for the caller to settle.
      await this.moveTo(deposit, DepositStatus.Captured, 'provider');
      return;
    }
    await this.moveTo(deposit, releaseOutcome(deposit.heldAt !== null));
  }

  /**
   * The caller found a captured payment it no longer asks for (what it paid for was called off or
   * ended before it arrived): the money is owed back, which the operator's finance pays (refunds
   * are not built in this port). Marked once, in the caller's transaction; `refundDue` in every read.
   */
  async markRefundDue(depositId: string): Promise<DepositView> {
    return this.txHost.withTransaction(async () => {
      const deposit = await this.lock(depositId);
      if (deposit.status !== DepositStatus.Captured) throw PaymentsErrors.closed(depositId, deposit.status);
      if (deposit.refundDueAt === null) {
        deposit.refundDueAt = this.clock.now();
        await this.repository.save(deposit);
      }
      return toDepositView(deposit);
    });
  }

  /**
   * The deposits of a reference, row-locked until the caller's transaction ends: what settlement
   * reads is what it decides on (a webhook changing one of them waits).
   */
  async lockForReference(referenceId: string): Promise<DepositView[]> {
    const deposits = await this.repository.find({
      where: { referenceId },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    return deposits.map(toDepositView);
  }

  async isHeld(referenceId: string, payerOrganizationId: string): Promise<boolean> {
    return this.repository.existsBy({ referenceId, payerOrganizationId, status: DepositStatus.Held });
  }

  /** Which payers hold a deposit for the reference: these ones, or all of them (one query). */
  async heldPayers(referenceId: string, payerOrganizationIds?: string[]): Promise<Set<string>> {
    if (payerOrganizationIds?.length === 0) return new Set();
    const rows = await this.repository.find({
      select: { payerOrganizationId: true },
      where: {
        referenceId,
        status: DepositStatus.Held,
        ...(payerOrganizationIds && { payerOrganizationId: In(payerOrganizationIds) }),
      },
    });
    return new Set(rows.map((row) => row.payerOrganizationId));
  }

  /** The pending or held deposit of a payer for a reference, if any. */
  async getLive(referenceId: string, payerOrganizationId: string): Promise<DepositView | null> {
    const live = await this.findLive(referenceId, payerOrganizationId);
    return live && toDepositView(live);
  }

  async getDeposit(depositId: string): Promise<DepositView> {
    return toDepositView(await this.find(depositId));
  }

  /** A deposit as a user may see it: the payer's members, finance and admins; a 404 to anyone else. */
  async getDepositFor(depositId: string, actor: Actor): Promise<DepositView> {
    const deposit = await this.find(depositId);
    if (!mayReadDeposit(actor, deposit.payerOrganizationId)) throw new NotFoundError('deposit', depositId);
    return toDepositView(deposit);
  }

  async listForReference(referenceId: string): Promise<DepositView[]> {
    const deposits = await this.repository.find({ where: { referenceId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return deposits.map(toDepositView);
  }

  /**
   * Applies what Stripe reports about a PaymentIntent (from a verified webhook, inside the
   * transaction that records the event). Stale, repeated or foreign intents change nothing.
   */
  async applyStripeIntent(
    eventType: string,
    intent: IntentSnapshot & { id: string; failureMessage?: string },
  ): Promise<void> {
    const deposit = await this.repository.findOne({
      where: { stripePaymentIntentId: intent.id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!deposit) {
      this.logger.log({ paymentIntentId: intent.id, eventType }, 'webhook for a payment intent that is not a deposit');
      return;
    }
    const next = statusAfterStripeEvent(
      deposit.status,
      eventType,
      intent,
      deposit.amountFen,
      deposit.heldAt !== null,
      capturedAtOnce(deposit.purpose),
    );
    if (!next) {
      if (eventType === 'payment_intent.payment_failed' && deposit.status === DepositStatus.Pending) {
        // A payment taken at once stays pending after a declined card (the payer may confirm the
        // same intent again): the refusal is kept to show, the deposit is not over.
        deposit.failureReason = intent.failureMessage ?? 'the payment failed';
        await this.repository.save(deposit);
      }
      return;
    }
    if (next === DepositStatus.Failed) deposit.failureReason = intent.failureMessage ?? 'the payment failed';
    await this.moveTo(deposit, next, 'provider');
  }

  /** Records a transition; a deposit that becomes held is announced to the other contexts. */
  private async moveTo(deposit: Deposit, status: DepositStatus, source: MoveSource = 'market'): Promise<Deposit> {
    const now = this.clock.now();
    const from = deposit.status;
    moveDeposit(deposit, status, now, source);
    const saved = await this.repository.save(deposit);
    if (status === DepositStatus.Captured && from !== DepositStatus.Capturing) {
      // Paid at once (no hold before; pending, or releasing when charged before a call-off): the
      // payer's part is done, announced like a hold would be.
      await this.outbox.add(JobName.DepositCaptured, {
        depositId: deposit.id,
        purpose: deposit.purpose,
        referenceId: deposit.referenceId,
        payerOrganizationId: deposit.payerOrganizationId,
        amountFen: deposit.amountFen,
        method: deposit.method,
        capturedAt: now.toISOString(),
      });
    }
    if (status === DepositStatus.Held) {
      await this.outbox.add(JobName.DepositHeld, {
        depositId: deposit.id,
        purpose: deposit.purpose,
        referenceId: deposit.referenceId,
        payerOrganizationId: deposit.payerOrganizationId,
        amountFen: deposit.amountFen,
        method: deposit.method,
        heldAt: now.toISOString(),
      });
    }
    return saved;
  }

  private findLive(referenceId: string, payerOrganizationId: string): Promise<Deposit | null> {
    return this.repository.findOneBy({ referenceId, payerOrganizationId, status: In([...LIVE_STATUSES]) });
  }

  private async find(depositId: string): Promise<Deposit> {
    const deposit = isUuid(depositId) ? await this.repository.findOneBy({ id: depositId }) : null;
    if (!deposit) throw new NotFoundError('deposit', depositId);
    return deposit;
  }

  private async lock(depositId: string): Promise<Deposit> {
    const deposit = isUuid(depositId)
      ? await this.repository.findOne({ where: { id: depositId }, lock: { mode: 'pessimistic_write' } })
      : null;
    if (!deposit) throw new NotFoundError('deposit', depositId);
    return deposit;
  }

  private static check(request: DepositRequest): void {
    if (!Number.isSafeInteger(request.amountFen) || request.amountFen <= 0) {
      throw PaymentsErrors.invalidAmount(request.amountFen);
    }
    if (!isUuid(request.referenceId)) throw PaymentsErrors.invalidReference('referenceId');
    if (!isUuid(request.payerOrganizationId)) throw PaymentsErrors.invalidReference('payerOrganizationId');
    if (!Object.values(DepositPurpose).includes(request.purpose as DepositPurpose)) {
      throw PaymentsErrors.invalidPurpose(request.purpose);
    }
    if (request.method !== undefined && !Object.values(DepositMethod).includes(request.method as DepositMethod)) {
      throw PaymentsErrors.invalidMethod(request.method);
    }
  }
}
