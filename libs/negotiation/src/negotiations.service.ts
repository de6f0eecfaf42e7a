import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { In, Not } from 'typeorm';
import { Clock } from '@market/clock';
import { AppConfig } from '@market/config';
import type { FieldError } from '@market/http';
import {
  AccountsService,
  Actor,
  BROKER_ORGANIZATION_KINDS,
  OrganizationsService,
  PUBLIC_INSTITUTION_KINDS,
  Role,
} from '@market/identity';
import { agreedIpItems, ListingsService, ListingStatus, PricingMode } from '@market/listing';
import {
  AgreedTerms,
  BrokerCommission,
  JobName,
  JobPayloads,
  NegotiationNoticeKind,
  OnJob,
  Outbox,
  PaymentSchedule,
  QueueName,
} from '@market/queue';
import {
  agree,
  announce,
  endNegotiation,
  ensureOpen,
  finalize,
  LIVE_NEGOTIATION_STATUSES,
  NegotiationStatus,
  otherSide,
  Side,
} from './domain/negotiation-state';
import { moveOffer, OfferStatus } from './domain/offer-state';
import { excludes, OfferTerms, takesListingUnderContract, termsProblems } from './domain/terms';
import {
  CounterOfferInput,
  InviteBrokerInput,
  MessageInput,
  MessageView,
  NegotiationPage,
  NegotiationQuery,
  NegotiationSummaryView,
  NegotiationView,
  OfferInput,
  OfferView,
  OpenNegotiationInput,
  PaymentScheduleInput,
  WithdrawInput,
} from './dto/negotiation.dto';
import { NegotiationMessage } from './entities/negotiation-message.entity';
import { NegotiationOffer } from './entities/negotiation-offer.entity';
import { Negotiation } from './entities/negotiation.entity';
import { NegotiationErrors } from './negotiation.errors';

const DAY_MS = 24 * 3600 * 1000;

/** In which capacity an actor sees a negotiation; none (a 404) for everyone else. */
export type Relation = Side | 'broker' | 'admin';

export function relationOf(actor: Actor, negotiation: Negotiation): Relation | null {
  if (actor.organizationId === negotiation.buyerOrganizationId) return Side.Buyer;
  if (actor.organizationId === negotiation.sellerOrganizationId) return Side.Seller;
  if (negotiation.brokerUserId !== null && actor.userId === negotiation.brokerUserId) return 'broker';
  if (actor.roles.includes(Role.Admin)) return 'admin';
  return null;
}

interface CheckedOffer {
  priceFen: number;
  terms: OfferTerms;
  validityDays: number;
}

/**
 * Negotiations (协议定价): a buyer opens one on an open negotiated listing with an offer; the
 * parties alternate counter-offers; an offer is accepted, rejected, countered, withdrawn or
 * expires. Every change runs under the negotiation's row lock, taken after a per-listing advisory
 * lock (so closing the other negotiations of a listing never deadlocks with their own changes):
 * of an accept, a counter-offer, a withdrawal and the expiry job fired at once, the first to take
 * the lock wins and the others find the negotiation changed and say what happened first.
 */
@Injectable()
export class NegotiationsService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly listings: ListingsService,
    private readonly organizations: OrganizationsService,
    private readonly accounts: AccountsService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  private get negotiations() {
    return this.txHost.tx.getRepository(Negotiation);
  }

  private get offers() {
    return this.txHost.tx.getRepository(NegotiationOffer);
  }

  private get messages() {
    return this.txHost.tx.getRepository(NegotiationMessage);
  }

  // ---- opening and answering ----

  /** A verified buyer opens a negotiation on an open negotiated listing, with its first offer. */
  async open(actor: Actor, input: OpenNegotiationInput): Promise<NegotiationView> {
    return this.txHost.withTransaction(async () => {
      const listing = await this.listings.auctionable(input.listingId);
      if (!listing.public) throw NegotiationErrors.listingNotFound(input.listingId);
      if (listing.organizationId === actor.organizationId) throw NegotiationErrors.ownListing();
      if (listing.pricingMode !== PricingMode.Negotiated) throw NegotiationErrors.notNegotiated();
      if (listing.status !== ListingStatus.Open) throw NegotiationErrors.listingNotOpen(listing.status);
      const offer = this.checkOffer(input, listing.transferModes);
      if (!(await this.organizations.isVerified(actor.organizationId))) {
        throw NegotiationErrors.organizationNotVerified();
      }
      await this.lockListing(listing.id);
      const live = await this.negotiations.findOne({
        where: {
          listingId: listing.id,
          buyerOrganizationId: actor.organizationId,
          status: In(LIVE_NEGOTIATION_STATUSES),
        },
      });
      if (live) throw NegotiationErrors.alreadyOpen(live.id);
      const parties = await this.organizations.getMany([actor.organizationId, listing.organizationId]);
      const [buyer, seller] = [parties.get(actor.organizationId)!, parties.get(listing.organizationId)!];
      const negotiation = await this.negotiations.save(
        this.negotiations.create({
          listingId: listing.id,
          listingTitle: listing.title,
          sellerOrganizationId: seller.id,
          sellerName: seller.name,
          buyerOrganizationId: buyer.id,
          buyerName: buyer.name,
          openedBy: actor.userId,
          status: NegotiationStatus.Open,
          offerCount: 0,
        }),
      );
      const now = this.clock.now();
      const placed = await this.placeOffer(negotiation, Side.Buyer, actor.userId, offer, null, now);
      await this.listings.countOpenNegotiations(listing.id, 1);
      await this.notify(negotiation, 'offer_received', [Side.Seller], false, this.offerFacts(placed));
      return this.toView(negotiation, Side.Buyer);
    });
  }

  /**
   * A counter-offer answers the standing offer (`replyToOfferId`): the side that made it may not
   * counter itself. The invited broker's counter-offer is a proposal that changes nothing until
   * its client confirms it.
   */
  async counter(actor: Actor, id: string, input: CounterOfferInput): Promise<NegotiationView> {
    return this.txHost.withTransaction(async () => {
      const { negotiation, relation } = await this.lockForChange(actor, id);
      if (relation === 'admin') throw this.adminsDoNotNegotiate();
      ensureOpen(negotiation);
      const side = relation === 'broker' ? negotiation.brokerClientSide! : relation;
      if (relation !== 'broker') this.ensureMayActFor(actor, side);
      const current = await this.standingOffer(negotiation);
      await this.ensureStanding(negotiation, current, input.replyToOfferId);
      const now = this.clock.now();
      if (current.expiresAt! <= now) throw NegotiationErrors.offerExpired(current.expiresAt!.toISOString());
      if (current.side === side) throw NegotiationErrors.notYourTurn();
      const listing = await this.listings.auctionable(negotiation.listingId);
      if (listing.status !== ListingStatus.Open) throw NegotiationErrors.listingNotOpen(listing.status);
      const offer = this.checkOffer(input, listing.transferModes);
      await this.discardProposals(negotiation, now);
      if (relation === 'broker') {
        const proposal = await this.saveOffer(negotiation, {
          side,
          status: OfferStatus.AwaitingConfirmation,
          proposedBy: actor.userId,
          viaBroker: true,
          replyToOfferId: current.id,
          ...offer,
          expiresAt: null,
        });
        await this.negotiations.save(negotiation);
        await this.notify(negotiation, 'proposal_to_confirm', [side], false, this.offerFacts(proposal));
        return this.toView(negotiation, relation);
      }
      moveOffer(current, OfferStatus.Superseded, now);
      await this.offers.save(current);
      const placed = await this.placeOffer(negotiation, side, actor.userId, offer, current.id, now);
      await this.notify(negotiation, 'offer_received', [otherSide(side)], true, this.offerFacts(placed));
      return this.toView(negotiation, relation);
    });
  }

  /** The broker's client confirms its proposal: it becomes the client's offer, answering the standing one. */
  async confirm(actor: Actor, id: string, offerId: string): Promise<NegotiationView> {
    return this.txHost.withTransaction(async () => {
      const { negotiation, relation } = await this.lockForChange(actor, id);
      const proposal = await this.visibleOffer(negotiation, offerId, relation);
      if (relation !== negotiation.brokerClientSide) {
        throw NegotiationErrors.notAuthorized('Only a member of the broker’s client confirms its proposals');
      }
      this.ensureMayActFor(actor, relation);
      ensureOpen(negotiation);
      if (proposal.status !== OfferStatus.AwaitingConfirmation) {
        throw NegotiationErrors.offerNotAwaitingConfirmation(proposal.status);
      }
      const current = await this.standingOffer(negotiation);
      if (proposal.replyToOfferId !== current.id) throw NegotiationErrors.offerSuperseded(current.id);
      const now = this.clock.now();
      if (current.expiresAt! <= now) throw NegotiationErrors.offerExpired(current.expiresAt!.toISOString());
      if (current.side === proposal.side) throw NegotiationErrors.notYourTurn();
      const listing = await this.listings.auctionable(negotiation.listingId);
      if (listing.status !== ListingStatus.Open) throw NegotiationErrors.listingNotOpen(listing.status);
      moveOffer(current, OfferStatus.Superseded, now);
      await this.offers.save(current);
      moveOffer(proposal, OfferStatus.Open, now);
      proposal.confirmedBy = actor.userId;
      proposal.expiresAt = new Date(now.getTime() + proposal.validityDays * DAY_MS);
      await this.offers.save(proposal);
      negotiation.currentOfferId = proposal.id;
      negotiation.lastOfferSide = proposal.side;
      await this.negotiations.save(negotiation);
      await this.scheduleDeadlines(negotiation, proposal, now);
      await this.notify(negotiation, 'offer_received', [otherSide(proposal.side)], true, this.offerFacts(proposal));
      return this.toView(negotiation, relation);
    });
  }

  /**
   * The other side accepts the standing offer. A public institution's deal is announced first;
   * any other is final at once and `trade.agreed` goes out. Other negotiations on the listing that
   * the deal excludes close.
   */
  async accept(actor: Actor, id: string, offerId: string): Promise<NegotiationView> {
    return this.txHost.withTransaction(async () => {
      const { negotiation, relation, offer, now } = await this.answerable(actor, id, offerId);
      const listing = await this.listings.auctionable(negotiation.listingId);
      if (listing.status !== ListingStatus.Open) throw NegotiationErrors.listingNotOpen(listing.status);
      moveOffer(offer, OfferStatus.Accepted, now);
      offer.answeredBy = actor.userId;
      await this.offers.save(offer);
      await this.discardProposals(negotiation, now);
      agree(negotiation, offer.id, now);
      negotiation.agreedPriceFen = offer.priceFen;
      negotiation.agreedTerms = {
        priceFen: offer.priceFen,
        transferMode: offer.terms.transferMode,
        license: offer.terms.license,
        paymentSchedule: offer.terms.paymentSchedule,
        commission: this.commissionOf(negotiation),
        depositAppliedFen: 0,
      };
      await this.negotiations.save(negotiation);
      await this.listings.countOpenNegotiations(negotiation.listingId, -1);
      await this.closeExcluded(negotiation, offer.terms, now);
      await this.notify(negotiation, 'accepted', [Side.Buyer, Side.Seller], true, this.offerFacts(offer));

      const seller = await this.organizations.get(negotiation.sellerOrganizationId);
      if (PUBLIC_INSTITUTION_KINDS.includes(seller.kind)) {
        const endsAt = new Date(now.getTime() + this.config.negotiation.priceAnnouncementDays * DAY_MS);
        announce(negotiation, endsAt);
        negotiation.announcementStartedAt = now;
        await this.negotiations.save(negotiation);
        await this.outbox.add(
          JobName.NegotiationAnnouncementEnded,
          { negotiationId: negotiation.id, endsAt: endsAt.toISOString() },
          { runAt: endsAt },
        );
        await this.notify(negotiation, 'announcement_started', [Side.Buyer, Side.Seller], true, {
          endsAt: endsAt.toISOString(),
        });
      } else {
        await this.finalizeDeal(negotiation, now);
      }
      return this.toView(negotiation, relation);
    });
  }

  /** The other side rejects the standing offer, with a reason: the negotiation ends (the seller may so decline at once). */
  async reject(actor: Actor, id: string, offerId: string, reason: string): Promise<NegotiationView> {
    return this.txHost.withTransaction(async () => {
      const { negotiation, relation, offer, now } = await this.answerable(actor, id, offerId);
      moveOffer(offer, OfferStatus.Rejected, now);
      offer.answeredBy = actor.userId;
      offer.reason = reason;
      await this.offers.save(offer);
      await this.discardProposals(negotiation, now);
      endNegotiation(negotiation, NegotiationStatus.Rejected, reason, now);
      await this.negotiations.save(negotiation);
      await this.listings.countOpenNegotiations(negotiation.listingId, -1);
      await this.notify(negotiation, 'rejected', [offer.side], true, { offerId: offer.id, reason });
      return this.toView(negotiation, relation);
    });
  }

  /** Either party breaks off the negotiation; with `offerId`, only if that is still the standing offer. */
  async withdraw(actor: Actor, id: string, input: WithdrawInput): Promise<NegotiationView> {
    return this.txHost.withTransaction(async () => {
      const { negotiation, relation } = await this.lockForChange(actor, id);
      if (relation === 'admin' || relation === 'broker') {
        throw NegotiationErrors.notAuthorized('Only the parties may withdraw from a negotiation');
      }
      ensureOpen(negotiation);
      const current = await this.standingOffer(negotiation);
      if (input.offerId !== undefined) await this.ensureStanding(negotiation, current, input.offerId);
      this.ensureMayActFor(actor, relation);
      const now = this.clock.now();
      moveOffer(current, OfferStatus.Withdrawn, now);
      current.answeredBy = actor.userId;
      await this.offers.save(current);
      await this.discardProposals(negotiation, now);
      const reason = input.reason?.trim() || `withdrawn by the ${relation}`;
      endNegotiation(negotiation, NegotiationStatus.Withdrawn, reason, now);
      await this.negotiations.save(negotiation);
      await this.listings.countOpenNegotiations(negotiation.listingId, -1);
      await this.notify(negotiation, 'withdrawn', [otherSide(relation)], true, { reason });
      return this.toView(negotiation, relation);
    });
  }

  /** A party invites a broker (技术经理人) of a transfer agency, on the commission it sets. */
  async inviteBroker(actor: Actor, id: string, input: InviteBrokerInput): Promise<NegotiationView> {
    return this.txHost.withTransaction(async () => {
      const { negotiation, relation } = await this.lockForChange(actor, id);
      if (relation === 'admin' || relation === 'broker') {
        throw NegotiationErrors.notAuthorized('Only the parties may invite a broker');
      }
      ensureOpen(negotiation);
      this.ensureMayActFor(actor, relation);
      if (negotiation.brokerUserId) throw NegotiationErrors.brokerAlreadyInvited();
      const { rateBasisPoints, fixedFen, paidBy } = input.commission;
      if ((rateBasisPoints === undefined) === (fixedFen === undefined)) {
        throw NegotiationErrors.invalidTerms([
          { field: 'commission', message: 'give exactly one of rateBasisPoints and fixedFen' },
        ]);
      }
      const broker = await this.accounts.member(input.brokerUserId);
      if (!broker || !broker.roles.includes(Role.Broker)) throw NegotiationErrors.notABroker();
      const agency = await this.organizations.get(broker.organizationId);
      if (!BROKER_ORGANIZATION_KINDS.includes(agency.kind)) throw NegotiationErrors.notABroker();
      negotiation.brokerUserId = broker.id;
      negotiation.brokerOrganizationId = agency.id;
      negotiation.brokerClientSide = relation;
      negotiation.brokerCommission = { rateBasisPoints: rateBasisPoints ?? null, fixedFen: fixedFen ?? null, paidBy };
      await this.negotiations.save(negotiation);
      await this.notify(negotiation, 'broker_invited', [Side.Buyer, Side.Seller], true, {
        brokerOrganizationId: agency.id,
        clientSide: relation,
      });
      return this.toView(negotiation, relation);
    });
  }

  // ---- the thread ----

  async listMessages(actor: Actor, id: string, page: { limit: number; offset: number }): Promise<MessageView[]> {
    await this.visible(actor, id);
    const rows = await this.messages.find({
      where: { negotiationId: id },
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: page.offset,
      take: page.limit,
    });
    return rows.map(toMessageView);
  }

  async postMessage(actor: Actor, id: string, input: MessageInput): Promise<MessageView> {
    const { relation } = await this.visible(actor, id);
    if (relation === 'admin') {
      throw NegotiationErrors.notAuthorized('Admins read negotiations; only the parties and their broker write');
    }
    const message = await this.messages.save(
      this.messages.create({
        negotiationId: id,
        authorUserId: actor.userId,
        authorOrganizationId: actor.organizationId,
        authorRole: relation,
        body: input.body,
      }),
    );
    return toMessageView(message);
  }

  // ---- reading ----

  async view(actor: Actor, id: string): Promise<NegotiationView> {
    const { negotiation, relation } = await this.visible(actor, id);
    return this.toView(negotiation, relation);
  }

  /** The caller's negotiations (its organization's as either party, or as the invited broker); all for admins. */
  async list(actor: Actor, query: NegotiationQuery): Promise<NegotiationPage> {
    const builder = this.negotiations.createQueryBuilder('n');
    if (!actor.roles.includes(Role.Admin)) {
      builder.where('(n.buyer_organization_id = :org OR n.seller_organization_id = :org OR n.broker_user_id = :user)', {
        org: actor.organizationId,
        user: actor.userId,
      });
    }
    if (query.state) builder.andWhere('n.status = :state', { state: query.state });
    if (query.listingId) builder.andWhere('n.listing_id = :listingId', { listingId: query.listingId });
    const [rows, total] = await builder
      .orderBy('n.created_at', 'DESC')
      .addOrderBy('n.id', 'ASC')
      .skip(query.offset)
      .take(query.limit)
      .getManyAndCount();
    const offerIds = rows.flatMap((n) => (n.currentOfferId ? [n.currentOfferId] : []));
    const offers = offerIds.length ? await this.offers.findBy({ id: In(offerIds) }) : [];
    const byId = new Map(offers.map((o) => [o.id, o]));
    return {
      total,
      limit: query.limit,
      offset: query.offset,
      items: rows.map((n) =>
        this.toSummary(n, relationOf(actor, n)!, n.currentOfferId ? (byId.get(n.currentOfferId) ?? null) : null),
      ),
    };
  }

  /** The negotiation and the caller's relation to it, or the 404 an unknown id gets. */
  async visible(actor: Actor, id: string): Promise<{ negotiation: Negotiation; relation: Relation }> {
    const negotiation = await this.negotiations.findOneBy({ id });
    const relation = negotiation && relationOf(actor, negotiation);
    if (!negotiation || !relation) throw NegotiationErrors.notFound(id);
    return { negotiation, relation };
  }

  // ---- jobs ----

  /** The standing offer's validity ran out: the offer expires, and the negotiation with it. */
  @OnJob(QueueName.Negotiations, JobName.NegotiationOfferExpiryDue)
  async onOfferExpiryDue(payload: JobPayloads[JobName.NegotiationOfferExpiryDue]): Promise<void> {
    const found = await this.lockForJob(payload.negotiationId, payload.offerId);
    if (!found) return;
    const { negotiation, offer } = found;
    const now = this.clock.now();
    if (
      !(await this.outbox.deadlineReached(JobName.NegotiationOfferExpiryDue, payload, offer.expiresAt, payload.at, now))
    ) {
      return;
    }
    moveOffer(offer, OfferStatus.Expired, now);
    await this.offers.save(offer);
    await this.discardProposals(negotiation, now);
    endNegotiation(negotiation, NegotiationStatus.Expired, `the ${offer.side}’s offer was not answered in time`, now);
    await this.negotiations.save(negotiation);
    await this.listings.countOpenNegotiations(negotiation.listingId, -1);
    await this.notify(negotiation, 'expired', [Side.Buyer, Side.Seller], true, {
      offerId: offer.id,
      expiredAt: offer.expiresAt!.toISOString(),
    });
  }

  /** A day before the standing offer runs out, the side that must answer is reminded. */
  @OnJob(QueueName.Negotiations, JobName.NegotiationAnswerReminderDue)
  async onAnswerReminderDue(payload: JobPayloads[JobName.NegotiationAnswerReminderDue]): Promise<void> {
    const found = await this.lockForJob(payload.negotiationId, payload.offerId);
    if (!found) return;
    const { negotiation, offer } = found;
    const remindAt = new Date(offer.expiresAt!.getTime() - DAY_MS);
    const now = this.clock.now();
    if (
      !(await this.outbox.deadlineReached(JobName.NegotiationAnswerReminderDue, payload, remindAt, payload.at, now))
    ) {
      return;
    }
    const answering = otherSide(offer.side);
    await this.notify(negotiation, 'answer_due', [answering], negotiation.brokerClientSide === answering, {
      offerId: offer.id,
      expiresAt: offer.expiresAt!.toISOString(),
    });
  }

  // ---- the deal ----

  /**
   * The deal is final: the listing goes under contract when nothing is left to sell, and exactly
   * one `trade.agreed` carries the agreed terms to the contract context. Runs once per
   * negotiation: `finalize` refuses a negotiation that is already final.
   */
  async finalizeDeal(negotiation: Negotiation, now: Date): Promise<void> {
    finalize(negotiation, now);
    await this.negotiations.save(negotiation);
    const terms = negotiation.agreedTerms!;
    const listing = await this.listings.auctionable(negotiation.listingId);
    if (takesListingUnderContract(terms) && listing.status === ListingStatus.Open) {
      await this.listings.markUnderContract(negotiation.listingId);
    }
    await this.outbox.add(JobName.TradeAgreed, {
      tradeId: negotiation.id,
      source: 'negotiation',
      listingId: negotiation.listingId,
      listingTitle: negotiation.listingTitle,
      sellerOrganizationId: negotiation.sellerOrganizationId,
      buyerOrganizationId: negotiation.buyerOrganizationId,
      priceFen: terms.priceFen,
      agreedAt: negotiation.agreedAt!.toISOString(),
      // The IP items as they stand at the final deal, with their filing dates: the contract starts from them.
      terms: { ...terms, ipItems: agreedIpItems(listing.ipItems) },
    });
  }

  /** Tells the parties (every member of the named sides) and, if asked, the invited broker. */
  async notify(
    negotiation: Negotiation,
    kind: NegotiationNoticeKind,
    sides: Side[],
    withBroker: boolean,
    data: Record<string, string | number | null>,
  ): Promise<void> {
    await this.outbox.add(JobName.NegotiationNotice, {
      negotiationId: negotiation.id,
      listingId: negotiation.listingId,
      listingTitle: negotiation.listingTitle,
      kind,
      organizationIds: sides.map((side) =>
        side === Side.Buyer ? negotiation.buyerOrganizationId : negotiation.sellerOrganizationId,
      ),
      userIds: withBroker && negotiation.brokerUserId ? [negotiation.brokerUserId] : [],
      data,
    });
  }

  /**
   * Orders every change to the negotiations of one listing. Closing the negotiations a deal
   * excludes locks several of them; without this, two of them changing at once could each wait
   * for the other's lock.
   */
  async lockListing(listingId: string): Promise<void> {
    await this.txHost.tx.query(`SELECT pg_advisory_xact_lock(hashtext('negotiation-listing'), hashtext($1))`, [
      listingId,
    ]);
  }

  /** The listing's lock, then the negotiation's row lock; a 404 for whoever may not see it. */
  async lockForChange(actor: Actor, id: string): Promise<{ negotiation: Negotiation; relation: Relation }> {
    const peek = await this.negotiations.findOneBy({ id });
    if (!peek || !relationOf(actor, peek)) throw NegotiationErrors.notFound(id);
    const negotiation = await this.lockById(peek.listingId, id);
    return { negotiation, relation: relationOf(actor, negotiation)! };
  }

  async lockById(listingId: string, id: string): Promise<Negotiation> {
    await this.lockListing(listingId);
    const negotiation = await this.negotiations.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!negotiation) throw NegotiationErrors.notFound(id);
    return negotiation;
  }

  // ---- helpers ----

  /** For a job on an offer's deadline: the negotiation, locked, if it is open and the offer still stands. */
  private async lockForJob(
    negotiationId: string,
    offerId: string,
  ): Promise<{ negotiation: Negotiation; offer: NegotiationOffer } | null> {
    const peek = await this.negotiations.findOneBy({ id: negotiationId });
    if (!peek) return null;
    const negotiation = await this.lockById(peek.listingId, negotiationId);
    if (negotiation.status !== NegotiationStatus.Open || negotiation.currentOfferId !== offerId) return null;
    const offer = await this.standingOffer(negotiation);
    return { negotiation, offer };
  }

  /** The checks of accept and reject: a party other than the offer's, the standing offer, not expired. */
  private async answerable(actor: Actor, id: string, offerId: string) {
    const { negotiation, relation } = await this.lockForChange(actor, id);
    if (relation === 'admin' || relation === 'broker') {
      throw NegotiationErrors.notAuthorized('Only a member of the party that must answer accepts or rejects an offer');
    }
    const offer = await this.visibleOffer(negotiation, offerId, relation);
    ensureOpen(negotiation);
    if (offer.status === OfferStatus.AwaitingConfirmation) throw NegotiationErrors.offerNotConfirmed();
    if (offer.id !== negotiation.currentOfferId) throw NegotiationErrors.offerSuperseded(negotiation.currentOfferId);
    this.ensureMayActFor(actor, relation);
    if (offer.side === relation) throw NegotiationErrors.ownOffer();
    const now = this.clock.now();
    if (offer.expiresAt! <= now) throw NegotiationErrors.offerExpired(offer.expiresAt!.toISOString());
    return { negotiation, relation, offer, now };
  }

  /** A member of the side's organization with the side's role (a buyer for the buyer, a seller for the seller). */
  private ensureMayActFor(actor: Actor, side: Side): void {
    const role = side === Side.Buyer ? Role.Buyer : Role.Seller;
    if (!actor.roles.includes(role)) {
      throw NegotiationErrors.notAuthorized(`Only a member with the ${role} role acts for the ${side}`);
    }
  }

  private adminsDoNotNegotiate() {
    return NegotiationErrors.notAuthorized('Admins follow negotiations; only the parties and their broker make offers');
  }

  private async standingOffer(negotiation: Negotiation): Promise<NegotiationOffer> {
    const offer = await this.offers.findOneBy({ id: negotiation.currentOfferId! });
    if (!offer) throw new Error(`open negotiation ${negotiation.id} has no standing offer`);
    return offer;
  }

  /** Refuses an answer to an offer that is no longer the standing one (or not of this negotiation: 404). */
  private async ensureStanding(negotiation: Negotiation, current: NegotiationOffer, offerId: string): Promise<void> {
    if (offerId === current.id) return;
    if (!(await this.offers.existsBy({ id: offerId, negotiationId: negotiation.id }))) {
      throw NegotiationErrors.offerNotFound(offerId);
    }
    throw NegotiationErrors.offerSuperseded(current.id);
  }

  /** An offer of this negotiation the caller may see: a broker's unconfirmed proposal only for its client side. */
  private async visibleOffer(negotiation: Negotiation, offerId: string, relation: Relation): Promise<NegotiationOffer> {
    const offer = await this.offers.findOneBy({ id: offerId, negotiationId: negotiation.id });
    if (!offer || !this.maysee(offer, negotiation, relation)) throw NegotiationErrors.offerNotFound(offerId);
    return offer;
  }

  private maysee(offer: NegotiationOffer, negotiation: Negotiation, relation: Relation): boolean {
    const proposal = offer.status === OfferStatus.AwaitingConfirmation || offer.status === OfferStatus.Discarded;
    return !proposal || relation === 'admin' || relation === 'broker' || relation === negotiation.brokerClientSide;
  }

  /** A broker's unconfirmed proposals lapse when anything else answers the standing offer. */
  private async discardProposals(negotiation: Negotiation, now: Date): Promise<void> {
    const pending = await this.offers.findBy({
      negotiationId: negotiation.id,
      status: OfferStatus.AwaitingConfirmation,
    });
    for (const proposal of pending) {
      moveOffer(proposal, OfferStatus.Discarded, now);
      await this.offers.save(proposal);
    }
  }

  /** Every other open negotiation on the listing that asks for what this deal excludes closes. */
  private async closeExcluded(negotiation: Negotiation, agreed: OfferTerms, now: Date): Promise<void> {
    const others = await this.negotiations.find({
      where: { listingId: negotiation.listingId, status: NegotiationStatus.Open, id: Not(negotiation.id) },
      order: { createdAt: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    for (const other of others) {
      const asked = await this.standingOffer(other);
      if (!excludes(agreed, asked.terms)) continue;
      moveOffer(asked, OfferStatus.Closed, now);
      await this.offers.save(asked);
      await this.discardProposals(other, now);
      const reason = `another deal on this listing (${agreed.transferMode.replace(/_/g, ' ')}) excludes what this negotiation asks for`;
      endNegotiation(other, NegotiationStatus.Closed, reason, now);
      await this.negotiations.save(other);
      await this.listings.countOpenNegotiations(other.listingId, -1);
      await this.notify(other, 'closed_by_exclusivity', [Side.Buyer, Side.Seller], true, { reason });
    }
  }

  /** A new standing offer of `side`: the negotiation waits for the other side until it expires. */
  private async placeOffer(
    negotiation: Negotiation,
    side: Side,
    userId: string,
    offer: CheckedOffer,
    replyToOfferId: string | null,
    now: Date,
  ): Promise<NegotiationOffer> {
    const placed = await this.saveOffer(negotiation, {
      side,
      status: OfferStatus.Open,
      proposedBy: userId,
      viaBroker: false,
      replyToOfferId,
      ...offer,
      expiresAt: new Date(now.getTime() + offer.validityDays * DAY_MS),
    });
    negotiation.currentOfferId = placed.id;
    negotiation.lastOfferSide = side;
    await this.negotiations.save(negotiation);
    await this.scheduleDeadlines(negotiation, placed, now);
    return placed;
  }

  private async saveOffer(negotiation: Negotiation, fields: Partial<NegotiationOffer>): Promise<NegotiationOffer> {
    negotiation.offerCount += 1;
    return this.offers.save(
      this.offers.create({ ...fields, negotiationId: negotiation.id, seq: negotiation.offerCount }),
    );
  }

  /** The offer's expiry and, when it stands longer than a day, the reminder a day before. */
  private async scheduleDeadlines(negotiation: Negotiation, offer: NegotiationOffer, now: Date): Promise<void> {
    const at = offer.expiresAt!;
    const payload = { negotiationId: negotiation.id, offerId: offer.id };
    await this.outbox.add(JobName.NegotiationOfferExpiryDue, { ...payload, at: at.toISOString() }, { runAt: at });
    const remindAt = new Date(at.getTime() - DAY_MS);
    if (remindAt > now) {
      await this.outbox.add(
        JobName.NegotiationAnswerReminderDue,
        { ...payload, at: remindAt.toISOString() },
        { runAt: remindAt },
      );
    }
  }

  /** An offer's input, checked: a 400 naming every field whose value does not fit or add up. */
  private checkOffer(input: OfferInput, listingModes: readonly string[]): CheckedOffer {
    const problems: FieldError[] = [];
    const paymentSchedule = toSchedule(input.paymentSchedule, problems);
    const terms: OfferTerms = {
      transferMode: input.transferMode,
      license: input.license
        ? {
            fieldOfUse: input.license.fieldOfUse.trim(),
            territory: input.license.territory,
            termMonths: input.license.termMonths,
            exclusivity: input.license.exclusivity,
          }
        : null,
      paymentSchedule,
    };
    problems.push(...termsProblems(input.priceFen, terms, listingModes));
    const maxDays = this.config.negotiation.offerValidityDays;
    if (input.validityDays !== undefined && input.validityDays > maxDays) {
      problems.push({ field: 'validityDays', message: `an offer stands at most ${maxDays} days` });
    }
    if (problems.length > 0) throw NegotiationErrors.invalidTerms(problems);
    return { priceFen: input.priceFen, terms, validityDays: input.validityDays ?? maxDays };
  }

  private commissionOf(negotiation: Negotiation): BrokerCommission | null {
    if (!negotiation.brokerOrganizationId || !negotiation.brokerCommission) return null;
    return {
      brokerOrganizationId: negotiation.brokerOrganizationId,
      brokerUserId: negotiation.brokerUserId,
      ...negotiation.brokerCommission,
    };
  }

  private offerFacts(offer: NegotiationOffer): Record<string, string | number | null> {
    return {
      offerId: offer.id,
      priceFen: offer.priceFen,
      transferMode: offer.terms.transferMode,
      expiresAt: offer.expiresAt?.toISOString() ?? null,
    };
  }

  // ---- views ----

  async toView(negotiation: Negotiation, relation: Relation): Promise<NegotiationView> {
    const offers = await this.offers.find({ where: { negotiationId: negotiation.id }, order: { seq: 'ASC' } });
    const current = offers.find((o) => o.id === negotiation.currentOfferId) ?? null;
    return {
      ...this.toSummary(negotiation, relation, current),
      offers: offers.filter((o) => this.maysee(o, negotiation, relation)).map(toOfferView),
    };
  }

  toSummary(negotiation: Negotiation, relation: Relation, current: NegotiationOffer | null): NegotiationSummaryView {
    const iso = (date: Date | null) => date?.toISOString() ?? null;
    const open = negotiation.status === NegotiationStatus.Open;
    return {
      id: negotiation.id,
      listingId: negotiation.listingId,
      listingTitle: negotiation.listingTitle,
      status: negotiation.status,
      seller: { organizationId: negotiation.sellerOrganizationId, name: negotiation.sellerName },
      buyer: { organizationId: negotiation.buyerOrganizationId, name: negotiation.buyerName },
      yourRole: relation,
      awaitingAnswerFrom: open && negotiation.lastOfferSide ? otherSide(negotiation.lastOfferSide) : null,
      currentOffer: open && current ? toOfferView(current) : null,
      broker:
        negotiation.brokerUserId && negotiation.brokerOrganizationId && negotiation.brokerCommission
          ? {
              userId: negotiation.brokerUserId,
              organizationId: negotiation.brokerOrganizationId,
              clientSide: negotiation.brokerClientSide!,
              commission: negotiation.brokerCommission,
            }
          : null,
      agreedTerms: negotiation.agreedTerms ? toTermsView(negotiation.agreedTerms) : null,
      agreedAt: iso(negotiation.agreedAt),
      announcementEndsAt: negotiation.announcementPausedAt ? null : iso(negotiation.announcementEndsAt),
      announcementPaused: negotiation.announcementPausedAt !== null,
      finalAt: iso(negotiation.finalAt),
      endedAt: iso(negotiation.endedAt),
      endedReason: negotiation.endedReason,
      createdAt: negotiation.createdAt.toISOString(),
    };
  }
}

/** The schedule of the kind named, refusing the fields of another kind (each named by its path). */
function toSchedule(input: PaymentScheduleInput, problems: FieldError[]): PaymentSchedule {
  const fieldsOf: Record<PaymentScheduleInput['kind'], (keyof PaymentScheduleInput)[]> = {
    lump_sum: ['dueOn'],
    instalments: ['instalments'],
    royalty: ['downPaymentFen', 'royaltyBasisPoints', 'royaltyTermMonths'],
  };
  for (const [kind, fields] of Object.entries(fieldsOf)) {
    if (kind === input.kind) continue;
    for (const field of fields) {
      if (input[field] !== undefined) {
        problems.push({ field: `paymentSchedule.${field}`, message: `${field} belongs to a ${kind} schedule` });
      }
    }
  }
  switch (input.kind) {
    case 'lump_sum':
      return { kind: 'lump_sum', dueOn: input.dueOn ?? null };
    case 'instalments':
      return {
        kind: 'instalments',
        instalments: (input.instalments ?? []).map((i) => ({ amountFen: i.amountFen, dueOn: i.dueOn })),
      };
    case 'royalty':
      return {
        kind: 'royalty',
        downPaymentFen: input.downPaymentFen!,
        royaltyBasisPoints: input.royaltyBasisPoints!,
        royaltyTermMonths: input.royaltyTermMonths!,
      };
  }
}

function toOfferView(offer: NegotiationOffer): OfferView {
  return {
    id: offer.id,
    seq: offer.seq,
    side: offer.side,
    status: offer.status,
    priceFen: offer.priceFen,
    transferMode: offer.terms.transferMode,
    license: offer.terms.license,
    paymentSchedule: offer.terms.paymentSchedule,
    validityDays: offer.validityDays,
    expiresAt: offer.expiresAt?.toISOString() ?? null,
    viaBroker: offer.viaBroker,
    replyToOfferId: offer.replyToOfferId,
    reason: offer.reason,
    createdAt: offer.createdAt.toISOString(),
  };
}

export function toTermsView(terms: AgreedTerms): NegotiationSummaryView['agreedTerms'] {
  return {
    priceFen: terms.priceFen,
    transferMode: terms.transferMode,
    license: terms.license,
    paymentSchedule: terms.paymentSchedule,
    commission: terms.commission,
    depositAppliedFen: terms.depositAppliedFen,
  };
}

function toMessageView(message: NegotiationMessage): MessageView {
  return {
    id: message.id,
    authorUserId: message.authorUserId,
    authorOrganizationId: message.authorOrganizationId,
    authorRole: message.authorRole,
    body: message.body,
    createdAt: message.createdAt.toISOString(),
  };
}
