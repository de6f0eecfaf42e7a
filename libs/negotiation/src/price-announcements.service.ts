import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { In, IsNull, Not } from 'typeorm';
import { Clock } from '@market/clock';
import { Actor, OrganizationsService } from '@market/identity';
import { moveObjection, ObjectionStatus, OPEN_OBJECTION_STATUSES, rulingStatus } from '@market/listing';
import { JobName, JobPayloads, OnJob, Outbox, QueueName } from '@market/queue';
import { annul, NegotiationStatus, pauseAnnouncement, resumeAnnouncement, Side } from './domain/negotiation-state';
import {
  PriceAnnouncementPage,
  PriceAnnouncementQuery,
  PriceAnnouncementState,
  PriceAnnouncementView,
  PriceObjectionView,
} from './dto/negotiation.dto';
import { Negotiation } from './entities/negotiation.entity';
import { PriceObjection } from './entities/price-objection.entity';
import { NegotiationErrors } from './negotiation.errors';
import { NegotiationsService, relationOf } from './negotiations.service';

const STATUS_OF_STATE: Record<PriceAnnouncementState, NegotiationStatus> = {
  running: NegotiationStatus.Announced,
  final: NegotiationStatus.Final,
  annulled: NegotiationStatus.Annulled,
};

/**
 * The price announcement (交易价格公示) of a deal agreed with a university or research institute:
 * the achievement, the buyer, the transfer mode and the price are public for
 * PRICE_ANNOUNCEMENT_DAYS. Any verified organization other than the parties may object; an
 * objection stops the clock; an admin rules. Upheld, the deal is annulled; dismissed (and no other
 * objection open), the clock resumes with the time it had left. Ended cleanly, the deal is final.
 * The rules and the objection's states are the listing announcement's (`moveObjection`).
 */
@Injectable()
export class PriceAnnouncementsService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly negotiations: NegotiationsService,
    private readonly organizations: OrganizationsService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  private get rows() {
    return this.txHost.tx.getRepository(Negotiation);
  }

  private get objections() {
    return this.txHost.tx.getRepository(PriceObjection);
  }

  /** Public: announcements running now and those that ended, newest first. */
  async list(query: PriceAnnouncementQuery): Promise<PriceAnnouncementPage> {
    const [rows, total] = await this.rows.findAndCount({
      where: {
        announcementStartedAt: Not(IsNull()),
        ...(query.state && { status: STATUS_OF_STATE[query.state] }),
      },
      order: { announcementStartedAt: 'DESC', id: 'ASC' },
      skip: query.offset,
      take: query.limit,
    });
    const counts: { negotiation_id: string; n: number }[] = rows.length
      ? await this.objections
          .createQueryBuilder('o')
          .select('o.negotiation_id', 'negotiation_id')
          .addSelect('count(*)::int', 'n')
          .where('o.negotiation_id IN (:...ids) AND o.status IN (:...open)', {
            ids: rows.map((r) => r.id),
            open: OPEN_OBJECTION_STATUSES,
          })
          .groupBy('o.negotiation_id')
          .getRawMany()
      : [];
    const open = new Map(counts.map((c) => [c.negotiation_id, c.n]));
    return {
      total,
      limit: query.limit,
      offset: query.offset,
      items: rows.map((row) => toAnnouncementView(row, open.get(row.id) ?? 0)),
    };
  }

  async object(actor: Actor, id: string, reason: string): Promise<PriceObjectionView> {
    return this.txHost.withTransaction(async () => {
      const negotiation = await this.lockAnnounced(id);
      if (negotiation.status !== NegotiationStatus.Announced) throw NegotiationErrors.announcementOver();
      if ([negotiation.buyerOrganizationId, negotiation.sellerOrganizationId].includes(actor.organizationId)) {
        throw NegotiationErrors.ownDeal();
      }
      if (!(await this.organizations.isVerified(actor.organizationId))) {
        throw NegotiationErrors.organizationNotVerified();
      }
      const now = this.clock.now();
      if (!negotiation.announcementPausedAt && negotiation.announcementEndsAt! <= now) {
        throw NegotiationErrors.announcementOver();
      }
      pauseAnnouncement(negotiation, now);
      await this.rows.save(negotiation);
      const objection = await this.objections.save(
        this.objections.create({
          negotiationId: id,
          objectorOrganizationId: actor.organizationId,
          objectorUserId: actor.userId,
          reason,
          status: ObjectionStatus.AwaitingAnswer,
        }),
      );
      return toObjectionView(objection);
    });
  }

  /** All objections for the parties, their broker and admins; an objector sees its own. */
  async listObjections(actor: Actor, id: string): Promise<PriceObjectionView[]> {
    const negotiation = await this.rows.findOneBy({ id });
    if (!negotiation?.announcementStartedAt) throw NegotiationErrors.announcementNotFound(id);
    const all = relationOf(actor, negotiation) !== null;
    const rows = await this.objections.find({
      where: all ? { negotiationId: id } : { negotiationId: id, objectorOrganizationId: actor.organizationId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return rows.map(toObjectionView);
  }

  async rule(
    admin: Actor,
    id: string,
    objectionId: string,
    decision: 'upheld' | 'dismissed',
    reason: string,
  ): Promise<PriceObjectionView> {
    return this.txHost.withTransaction(async () => {
      const negotiation = await this.lockAnnounced(id);
      const objection = await this.objections.findOne({
        where: { id: objectionId, negotiationId: id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!objection) throw NegotiationErrors.objectionNotFound(objectionId);
      moveObjection(objection, rulingStatus(decision));
      const now = this.clock.now();
      objection.rulingReason = reason;
      objection.ruledBy = admin.userId;
      objection.ruledAt = now;
      await this.objections.save(objection);
      if (negotiation.status !== NegotiationStatus.Announced) return toObjectionView(objection);
      if (decision === 'upheld') {
        annul(negotiation, `objection upheld: ${reason}`, now);
        await this.rows.save(negotiation);
        await this.negotiations.notify(negotiation, 'annulled', [Side.Buyer, Side.Seller], true, { reason });
        await this.outbox.add(JobName.NegotiationDealAnnulled, {
          negotiationId: id,
          listingId: negotiation.listingId,
          listingTitle: negotiation.listingTitle,
          objectionId,
          sellerOrganizationId: negotiation.sellerOrganizationId,
          buyerOrganizationId: negotiation.buyerOrganizationId,
          brokerOrganizationId: negotiation.brokerOrganizationId,
          annulledAt: now.toISOString(),
        });
      } else if (!(await this.objections.existsBy({ negotiationId: id, status: In(OPEN_OBJECTION_STATUSES) }))) {
        const endsAt = resumeAnnouncement(negotiation, now);
        await this.rows.save(negotiation);
        await this.outbox.add(
          JobName.NegotiationAnnouncementEnded,
          { negotiationId: id, endsAt: endsAt.toISOString() },
          { runAt: endsAt },
        );
      }
      return toObjectionView(objection);
    });
  }

  /** The announcement's end: re-checked (paused, or its end moved by a resumption: nothing to do). */
  @OnJob(QueueName.Negotiations, JobName.NegotiationAnnouncementEnded)
  async onAnnouncementEnded(payload: JobPayloads[JobName.NegotiationAnnouncementEnded]): Promise<void> {
    const peek = await this.rows.findOneBy({ id: payload.negotiationId });
    if (!peek) return;
    const negotiation = await this.negotiations.lockById(peek.listingId, peek.id);
    if (negotiation.status !== NegotiationStatus.Announced || negotiation.announcementPausedAt !== null) return;
    const now = this.clock.now();
    const endsAt = negotiation.announcementEndsAt;
    if (
      !(await this.outbox.deadlineReached(JobName.NegotiationAnnouncementEnded, payload, endsAt, payload.endsAt, now))
    ) {
      return;
    }
    await this.negotiations.finalizeDeal(negotiation, now);
    await this.negotiations.notify(negotiation, 'announcement_ended', [Side.Buyer, Side.Seller], true, {
      endedAt: now.toISOString(),
    });
  }

  /** A deal that was announced, locked; anything else is a 404 (a negotiation is confidential until announced). */
  private async lockAnnounced(id: string): Promise<Negotiation> {
    const peek = await this.rows.findOneBy({ id });
    if (!peek?.announcementStartedAt) throw NegotiationErrors.announcementNotFound(id);
    return this.negotiations.lockById(peek.listingId, id);
  }
}

function toAnnouncementView(negotiation: Negotiation, openObjections: number): PriceAnnouncementView {
  const state: PriceAnnouncementState =
    negotiation.status === NegotiationStatus.Final
      ? 'final'
      : negotiation.status === NegotiationStatus.Annulled
        ? 'annulled'
        : 'running';
  return {
    id: negotiation.id,
    listingId: negotiation.listingId,
    achievement: negotiation.listingTitle,
    sellerName: negotiation.sellerName,
    buyerName: negotiation.buyerName,
    transferMode: negotiation.agreedTerms!.transferMode,
    priceFen: negotiation.agreedPriceFen!,
    startedAt: negotiation.announcementStartedAt!.toISOString(),
    endsAt: negotiation.announcementPausedAt ? null : (negotiation.announcementEndsAt?.toISOString() ?? null),
    paused: negotiation.announcementPausedAt !== null,
    state,
    openObjections,
  };
}

function toObjectionView(objection: PriceObjection): PriceObjectionView {
  return {
    id: objection.id,
    announcementId: objection.negotiationId,
    objectorOrganizationId: objection.objectorOrganizationId,
    reason: objection.reason,
    status: objection.status,
    rulingReason: objection.rulingReason,
    createdAt: objection.createdAt.toISOString(),
  };
}
