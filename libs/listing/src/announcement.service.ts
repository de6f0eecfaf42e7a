import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { In } from 'typeorm';
import { AuditLog } from '@market/audit';
import { Clock } from '@market/clock';
import { AppConfig } from '@market/config';
import { Actor, canSeePrivateOf, OrganizationsService } from '@market/identity';
import { JobName, JobPayloads, OnJob, Outbox, QueueName } from '@market/queue';
import { ListingStatus, moveListing } from './domain/listing-state';
import { moveObjection, ObjectionStatus, OPEN_OBJECTION_STATUSES, rulingStatus } from './domain/objection-state';
import { PricingMode } from './domain/vocabulary';
import { ObjectionView } from './dto/trading.dto';
import { ListingObjection } from './entities/listing-objection.entity';
import { Listing } from './entities/listing.entity';
import { ListingErrors } from './listing.errors';
import { ListingsService } from './listings.service';

const DAY_MS = 24 * 3600 * 1000;

/**
 * The announcement (公示) of an approved listing and its objections (异议). An objection stops
 * the announcement clock; the seller answers; an admin rules. Upheld, the listing is withdrawn;
 * dismissed (and no other objection open), the clock resumes with the time it had left.
 */
@Injectable()
export class AnnouncementService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly listings: ListingsService,
    private readonly organizations: OrganizationsService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly audit: AuditLog,
  ) {}

  private get objections() {
    return this.txHost.tx.getRepository(ListingObjection);
  }

  async object(actor: Actor, listingId: string, reason: string): Promise<ObjectionView> {
    return this.txHost.withTransaction(async () => {
      const listing = await this.listings.lockVisible(actor, listingId);
      if (listing.status !== ListingStatus.Announced) {
        if (listing.status === ListingStatus.Open) throw ListingErrors.announcementOver();
        throw ListingErrors.invalidState(listing.status, 'receive objections');
      }
      if (listing.organizationId === actor.organizationId) throw ListingErrors.ownListing();
      if (!(await this.organizations.isVerified(actor.organizationId))) throw ListingErrors.organizationNotVerified();
      const now = this.clock.now();
      if (!listing.announcementPausedAt) {
        const remainingMs = listing.announcementEndsAt!.getTime() - now.getTime();
        if (remainingMs <= 0) throw ListingErrors.announcementOver();
        listing.announcementPausedAt = now;
        listing.announcementRemainingMs = remainingMs;
        await this.listings.save(listing);
      }
      const objection = await this.objections.save(
        this.objections.create({
          listingId,
          objectorOrganizationId: actor.organizationId,
          objectorUserId: actor.userId,
          reason,
          status: ObjectionStatus.AwaitingAnswer,
        }),
      );
      return toObjectionView(objection);
    });
  }

  async answer(actor: Actor, listingId: string, objectionId: string, answer: string): Promise<ObjectionView> {
    return this.txHost.withTransaction(async () => {
      await this.listings.lockOwn(actor, listingId);
      const objection = await this.lockObjection(listingId, objectionId);
      moveObjection(objection, ObjectionStatus.Answered);
      objection.answer = answer;
      objection.answeredBy = actor.userId;
      objection.answeredAt = this.clock.now();
      return toObjectionView(await this.objections.save(objection));
    });
  }

  async rule(
    admin: Actor,
    listingId: string,
    objectionId: string,
    decision: 'upheld' | 'dismissed',
    reason: string,
  ): Promise<ObjectionView> {
    return this.txHost.withTransaction(async () => {
      const listing = await this.listings.lock(listingId);
      const objection = await this.lockObjection(listingId, objectionId);
      moveObjection(objection, rulingStatus(decision));
      const now = this.clock.now();
      objection.rulingReason = reason;
      objection.ruledBy = admin.userId;
      objection.ruledAt = now;
      await this.objections.save(objection);
      await this.audit.append(`listing:${listingId}`, {
        actorId: admin.userId,
        action: `listing.objection_${decision}`,
        reason,
        detail: { objectionId },
      });
      if (decision === 'upheld') {
        // Upheld against the listing's organization, whatever became of the listing: its credit record keeps it.
        await this.outbox.add(JobName.ListingObjectionUpheld, {
          listingId,
          listingTitle: listing.title,
          objectionId,
          sellerOrganizationId: listing.organizationId,
          ruledAt: now.toISOString(),
        });
      }

      if (listing.status !== ListingStatus.Announced) return toObjectionView(objection);
      if (decision === 'upheld') {
        this.listings.close(listing, ListingStatus.Withdrawn, `objection upheld: ${reason}`);
        await this.listings.save(listing);
      } else if (!(await this.hasOpenObjections(listingId))) {
        await this.resume(listing, now);
      }
      return toObjectionView(objection);
    });
  }

  /** Objections the actor may see: all for the seller and admins, their own for objectors. */
  async list(actor: Actor, listingId: string): Promise<ObjectionView[]> {
    const listing = await this.listings.view(actor, listingId);
    const all = canSeePrivateOf(actor, listing.seller.organizationId); // the seller and admins
    const rows = await this.objections.find({
      where: all ? { listingId } : { listingId, objectorOrganizationId: actor.organizationId },
      order: { createdAt: 'ASC' },
    });
    return rows.map(toObjectionView);
  }

  /**
   * The delayed job at the announcement's end. It re-checks the database: a paused announcement,
   * one whose deadline moved (a later job carries the new one), or one already over is left
   * alone; a job that fires before its deadline (clock skew) schedules itself again.
   */
  @OnJob(QueueName.Listings, JobName.ListingAnnouncementEnded)
  async onAnnouncementEnded(payload: JobPayloads[JobName.ListingAnnouncementEnded]): Promise<void> {
    const listing = await this.listings.lock(payload.listingId);
    if (listing.status !== ListingStatus.Announced || listing.announcementPausedAt !== null) return;
    const now = this.clock.now();
    // A resumed announcement has a job of its own for its new end.
    const endsAt = listing.announcementEndsAt;
    if (!(await this.outbox.deadlineReached(JobName.ListingAnnouncementEnded, payload, endsAt, payload.endsAt, now))) {
      return;
    }
    moveListing(listing, ListingStatus.Open, 'open');
    listing.openedAt = now;
    if (listing.pricingMode === PricingMode.Listed) {
      listing.listingPeriodEndsAt = new Date(now.getTime() + this.config.listing.listingPeriodDays * DAY_MS);
      await this.outbox.add(
        JobName.ListingPeriodEnded,
        { listingId: listing.id, endsAt: listing.listingPeriodEndsAt.toISOString() },
        { runAt: listing.listingPeriodEndsAt },
      );
    }
    await this.listings.save(listing);
  }

  private async resume(listing: Listing, now: Date): Promise<void> {
    listing.announcementEndsAt = new Date(now.getTime() + (listing.announcementRemainingMs ?? 0));
    listing.announcementPausedAt = null;
    listing.announcementRemainingMs = null;
    await this.listings.save(listing);
    await this.outbox.add(
      JobName.ListingAnnouncementEnded,
      { listingId: listing.id, endsAt: listing.announcementEndsAt.toISOString() },
      { runAt: listing.announcementEndsAt },
    );
  }

  private async hasOpenObjections(listingId: string): Promise<boolean> {
    return this.objections.existsBy({ listingId, status: In(OPEN_OBJECTION_STATUSES) });
  }

  private async lockObjection(listingId: string, objectionId: string): Promise<ListingObjection> {
    const objection = await this.objections.findOne({
      where: { id: objectionId, listingId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!objection) throw ListingErrors.objectionNotFound(objectionId);
    return objection;
  }
}

function toObjectionView(objection: ListingObjection): ObjectionView {
  return {
    id: objection.id,
    listingId: objection.listingId,
    objectorOrganizationId: objection.objectorOrganizationId,
    reason: objection.reason,
    status: objection.status,
    answer: objection.answer,
    rulingReason: objection.rulingReason,
    createdAt: objection.createdAt.toISOString(),
  };
}
