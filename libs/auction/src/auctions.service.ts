import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { LRUCache } from 'lru-cache';
import { Clock } from '@market/clock';
import { Actor, OrganizationsService, Role } from '@market/identity';
import { PageQuery } from '@market/http';
import { agreedIpItems, ListingsService, ListingStatus, PricingMode } from '@market/listing';
import { DepositOpening, DepositsService, DepositStatus } from '@market/payments';
import { JobName, JobPayloads, marketPriceTerms, OnJob, Outbox, PostCommit, QueueName } from '@market/queue';
import { FindOptionsWhere } from 'typeorm';
import { AuctionErrors } from './auction.errors';
import {
  AuctionKind,
  AuctionStatus,
  chooseWinner,
  closeAuction,
  openAuction,
  settleAuction,
  Winner,
} from './domain/auction-state';
import { minimumNextBid } from './domain/bid-rules';
import { AuctionPage, AuctionQuery, AuctionView, BidPage, BidView, CreateAuctionInput } from './dto/auction.dto';
import { AuctionBid } from './entities/auction-bid.entity';
import { Auction } from './entities/auction.entity';
import { SealedBid } from './entities/sealed-bid.entity';
import { AuctionEventsService } from './live/auction-events.service';

const DAY_MS = 24 * 3600 * 1000;

/** Auctions: creation, deposits, reading, and the jobs that open, close and settle them. */
@Injectable()
export class AuctionsService {
  /** Auctions' kinds, least recently asked for out first (a kind never changes). */
  private readonly kinds = new LRUCache<string, AuctionKind>({ max: 100_000 });

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly listings: ListingsService,
    private readonly organizations: OrganizationsService,
    private readonly deposits: DepositsService,
    private readonly outbox: Outbox,
    private readonly events: AuctionEventsService,
    private readonly clock: Clock,
    private readonly postCommit: PostCommit,
  ) {}

  private get auctions() {
    return this.txHost.tx.getRepository(Auction);
  }

  /**
   * The seller (or an admin) auctions an open auction-mode listing. Another organization's listing
   * is a 404 while it is private (as for an unknown id) and a 403 once it is public. A listing that
   * went to auction among the buyers who registered intent gets that auction, scheduled by the
   * market, and no other.
   */
  async create(actor: Actor, input: CreateAuctionInput): Promise<AuctionView> {
    const listing = await this.listings.auctionable(input.listingId);
    if (listing.organizationId !== actor.organizationId && !actor.roles.includes(Role.Admin)) {
      if (!listing.public) throw AuctionErrors.listingNotFound(input.listingId);
      throw AuctionErrors.notSeller();
    }
    if (listing.status !== ListingStatus.Open)
      throw AuctionErrors.listingNotAuctionable(`The listing is ${listing.status}`);
    if (listing.pricingMode !== PricingMode.Auction) {
      throw AuctionErrors.listingNotAuctionable('Only a listing priced by auction (拍卖) can be auctioned');
    }
    if (listing.convertedFromListedTrade) throw AuctionErrors.reservedForIntendingBuyers();
    const startsAt = new Date(input.startsAt);
    const endsAt = new Date(input.endsAt);
    const now = this.clock.now();
    if (startsAt.getTime() < now.getTime() - 60_000) throw AuctionErrors.badSchedule('startsAt is in the past');
    if (endsAt.getTime() <= startsAt.getTime()) throw AuctionErrors.badSchedule('endsAt must be after startsAt');
    if (input.kind === AuctionKind.English && !input.incrementFen) {
      throw AuctionErrors.badPrices('an English auction needs incrementFen');
    }
    if (input.reservePriceFen !== undefined && input.reservePriceFen < input.startingPriceFen) {
      throw AuctionErrors.badPrices('reservePriceFen must not be below startingPriceFen');
    }
    return this.schedule({
      listingId: listing.id,
      listingTitle: listing.title,
      technicalField: listing.technicalField,
      sellerOrganizationId: listing.organizationId,
      kind: input.kind,
      startingPriceFen: input.startingPriceFen,
      reservePriceFen: input.reservePriceFen ?? null,
      incrementFen: input.incrementFen ?? 1,
      depositFen: input.depositFen,
      allowedBuyerOrganizationIds: null,
      startsAt,
      endsAt,
      createdBy: actor.userId,
    }).then((auction) => this.toView(auction, actor));
  }

  /**
   * Several buyers intended on a listed-price listing: an English auction among them, at the
   * asking price, with defaults an admin may not need to touch: it starts a day later and runs a
   * day, 1% increments, a 10% deposit, the asking price as the reserve.
   */
  @OnJob(QueueName.Auctions, JobName.ListingConvertedToAuction)
  async onListingConverted(payload: JobPayloads[JobName.ListingConvertedToAuction]): Promise<void> {
    // Nobody else can have auctioned the listing meanwhile (create() refuses a converted listing).
    if (await this.auctions.existsBy({ listingId: payload.listingId })) return;
    const listing = await this.listings.auctionable(payload.listingId);
    const now = this.clock.now();
    const asking = payload.askingPriceFen;
    await this.schedule({
      listingId: payload.listingId,
      listingTitle: payload.listingTitle,
      technicalField: listing.technicalField,
      sellerOrganizationId: payload.sellerOrganizationId,
      kind: AuctionKind.English,
      startingPriceFen: asking,
      reservePriceFen: asking,
      incrementFen: Math.max(10_000, Math.round(asking / 100)),
      depositFen: Math.max(1, Math.round(asking / 10)),
      allowedBuyerOrganizationIds: payload.buyerOrganizationIds,
      startsAt: new Date(now.getTime() + DAY_MS),
      endsAt: new Date(now.getTime() + 2 * DAY_MS),
      createdBy: null,
    });
  }

  /** The auction, its record on the listing (which then refuses withdrawal) and its opening job, together. */
  private async schedule(fields: Partial<Auction>): Promise<Auction> {
    return this.txHost
      .withTransaction(async () => {
        const auction = await this.auctions.save(this.auctions.create({ ...fields, status: AuctionStatus.Scheduled }));
        await this.listings.attachAuction(auction.listingId, auction.id);
        await this.outbox.add(
          JobName.AuctionOpenDue,
          { auctionId: auction.id, at: auction.startsAt.toISOString() },
          { runAt: auction.startsAt },
        );
        return auction;
      })
      .catch((error: { driverError?: { constraint?: string } }) => {
        if (error.driverError?.constraint === 'auction_live_listing_uq') throw AuctionErrors.alreadyLive();
        throw error;
      });
  }

  async view(actor: Actor | undefined, id: string): Promise<AuctionView> {
    return this.toView(await this.get(id), actor);
  }

  /** Every auction is public: filtered by status, kind, listing and technical field, newest start first. */
  async list(actor: Actor | undefined, query: AuctionQuery): Promise<AuctionPage> {
    const where: FindOptionsWhere<Auction> = {
      ...(query.status && { status: query.status }),
      ...(query.kind && { kind: query.kind }),
      ...(query.listingId && { listingId: query.listingId }),
      ...(query.field && { technicalField: query.field }),
    };
    const [rows, total] = await this.auctions.findAndCount({
      where,
      order: { startsAt: 'DESC', id: 'ASC' },
      skip: query.offset,
      take: query.limit,
    });
    return { total, limit: query.limit, offset: query.offset, items: rows.map((a) => this.toView(a, actor)) };
  }

  /**
   * A buyer asks for its deposit: a card hold through Stripe, or bank-transfer instructions. The
   * auction's state is checked under a shared fence that the close takes exclusively, so a deposit
   * is either committed before the auction closes (and settlement sees it, and releases it) or
   * refused; it never slips in beside a settlement.
   */
  async requestDeposit(actor: Actor, id: string, method?: 'stripe' | 'offline'): Promise<DepositOpening> {
    return this.txHost.withTransaction(async () => {
      await this.fenceDeposits(id, 'shared');
      const auction = await this.get(id);
      if (![AuctionStatus.Scheduled, AuctionStatus.Open].includes(auction.status)) {
        throw AuctionErrors.bidRefused('NOT_OPEN', 0);
      }
      if (auction.sellerOrganizationId === actor.organizationId) throw AuctionErrors.bidRefused('OWN_LISTING', 0);
      if (auction.allowedBuyerOrganizationIds && !auction.allowedBuyerOrganizationIds.includes(actor.organizationId)) {
        throw AuctionErrors.bidRefused('NOT_INVITED', 0);
      }
      if (!(await this.organizations.isVerified(actor.organizationId))) throw AuctionErrors.organizationNotVerified();
      return this.deposits.requestDeposit({
        purpose: 'auction',
        referenceId: id,
        payerOrganizationId: actor.organizationId,
        amountFen: auction.depositFen,
        method,
      });
    });
  }

  /**
   * Orders deposit requests against the close. An advisory lock rather than a row lock: a deposit
   * request holds it across the payment provider's round trip, and a row lock would make bids on
   * the auction wait for that; only the close waits for it.
   */
  private async fenceDeposits(auctionId: string, mode: 'shared' | 'exclusive'): Promise<void> {
    const fn = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
    await this.txHost.tx.query(`SELECT ${fn}(hashtext('auction-deposits'), hashtext($1))`, [auctionId]);
  }

  /**
   * English: the accepted bids, in order. Sealed: before the close, only your own bid — nobody,
   * the seller and admins included, sees the others; after the close, all of them. Paged, with the
   * total the caller may see.
   */
  async bids(actor: Actor, id: string, page: PageQuery): Promise<BidPage> {
    const auction = await this.get(id);
    const paging = { total: 0, limit: page.limit, offset: page.offset };
    if (auction.kind === AuctionKind.English) {
      const [rows, total] = await this.txHost.tx.getRepository(AuctionBid).findAndCount({
        where: { auctionId: id, accepted: true },
        order: { seq: 'ASC' },
        skip: page.offset,
        take: page.limit,
      });
      const items = rows.map((b): BidView => ({
        id: b.id,
        seq: b.seq,
        amountFen: b.amountFen,
        bidderOrganizationId: b.bidderOrganizationId,
        createdAt: b.createdAt.toISOString(),
      }));
      return { ...paging, total, items };
    }
    const sealedOpen = [AuctionStatus.Scheduled, AuctionStatus.Open].includes(auction.status);
    const [rows, total] = await this.txHost.tx.getRepository(SealedBid).findAndCount({
      where: sealedOpen ? { auctionId: id, bidderOrganizationId: actor.organizationId } : { auctionId: id },
      order: { amountFen: 'DESC', firstPlacedAt: 'ASC', bidderOrganizationId: 'ASC' },
      skip: page.offset,
      take: page.limit,
    });
    const items = rows.map((b): BidView => ({
      id: `${b.auctionId}:${b.bidderOrganizationId}`,
      seq: null,
      amountFen: b.amountFen,
      bidderOrganizationId: b.bidderOrganizationId,
      createdAt: b.updatedAt.toISOString(),
    }));
    return { ...paging, total, items };
  }

  @OnJob(QueueName.Auctions, JobName.AuctionOpenDue)
  async onOpenDue(payload: JobPayloads[JobName.AuctionOpenDue]): Promise<void> {
    const auction = await this.lock(payload.auctionId);
    if (auction.status !== AuctionStatus.Scheduled) return;
    const now = this.clock.now();
    if (!(await this.outbox.deadlineReached(JobName.AuctionOpenDue, payload, auction.startsAt, payload.at, now))) {
      return;
    }
    openAuction(auction);
    await this.auctions.save(auction);
    await this.outbox.add(
      JobName.AuctionCloseDue,
      { auctionId: auction.id, at: auction.endsAt.toISOString() },
      { runAt: auction.endsAt },
    );
    this.afterCommit(() =>
      this.events.publish([{ type: 'opened', auctionId: auction.id, endsAt: auction.endsAt.toISOString() }]),
    );
  }

  /**
   * The close re-checks the end in the database: a late bid may have moved it (a newer job
   * carries the new end). The winner is the highest bid at or above the reserve whose bidder's
   * deposit is held (provisional: settlement checks the deposits again under lock).
   */
  @OnJob(QueueName.Auctions, JobName.AuctionCloseDue)
  async onCloseDue(payload: JobPayloads[JobName.AuctionCloseDue]): Promise<void> {
    const auction = await this.lock(payload.auctionId);
    if (auction.status !== AuctionStatus.Open) return;
    const now = this.clock.now();
    // A late bid may have moved the end: its job carries the new one.
    if (!(await this.outbox.deadlineReached(JobName.AuctionCloseDue, payload, auction.endsAt, payload.at, now))) return;
    // Deposit requests still in flight commit first; later ones find the auction closed.
    await this.fenceDeposits(auction.id, 'exclusive');
    const offers = await this.rankedOffers(auction);
    const held = await this.deposits.heldPayers(auction.id);
    closeAuction(
      auction,
      chooseWinner(offers, auction.reservePriceFen, (org) => held.has(org)),
      now,
    );
    if (auction.kind === AuctionKind.Sealed && offers.length > 0) {
      auction.currentPriceFen = offers[0].amountFen;
      auction.bidCount = offers.length;
    }
    await this.auctions.save(auction);
    await this.outbox.add(JobName.AuctionSettle, { auctionId: auction.id });
    this.afterCommit(() =>
      this.events.publish([
        { type: 'closed', auctionId: auction.id, status: auction.status, finalPriceFen: auction.finalPriceFen },
      ]),
    );
  }

  /**
   * Settlement, once, and money moves after the books. Under the auction's lock and the locks of
   * its deposits, the winner is chosen again: the highest bidder at or above the reserve whose
   * deposit is still held in the database (a card hold that lapsed or was canceled is passed over
   * for the next bidder, at that bidder's own best bid). This transaction then records every
   * decision — the winner's deposit to be captured, every other live one to be released, the
   * auction settled or failed, the listing under contract or open again, `trade.agreed` — and
   * queues the jobs that ask the payment provider, each with its idempotency key. Nothing that can
   * fail and roll the books back runs after money has moved.
   */
  @OnJob(QueueName.Auctions, JobName.AuctionSettle)
  async onSettle(payload: JobPayloads[JobName.AuctionSettle]): Promise<void> {
    const auction = await this.lock(payload.auctionId);
    if (auction.status !== AuctionStatus.Closed) return;
    const deposits = await this.deposits.lockForReference(auction.id);
    const held = new Set(deposits.filter((d) => d.status === DepositStatus.Held).map((d) => d.payerOrganizationId));
    // A listing that is no longer open cannot be sold (one withdrawn while its auction ran, before
    // withdrawal checked for a live auction): the auction fails and every deposit goes back.
    const listing = await this.listings.auctionable(auction.listingId);
    const sellable = listing.status === ListingStatus.Open;
    const offers = sellable ? await this.rankedOffers(auction) : [];
    const winner = chooseWinner(offers, auction.reservePriceFen, (org) => held.has(org));
    const now = this.clock.now();
    settleAuction(auction, winner, now);
    await this.auctions.save(auction);
    for (const deposit of deposits) {
      const isWinner = winner !== null && deposit.payerOrganizationId === winner.organizationId;
      if (isWinner && deposit.status === DepositStatus.Held) await this.deposits.requestCapture(deposit.id);
      else if ([DepositStatus.Held, DepositStatus.Pending].includes(deposit.status)) {
        await this.deposits.requestRelease(deposit.id);
      }
    }
    await this.listings.auctionEnded(auction.listingId, auction.id, winner ? 'settled' : 'failed');
    if (winner) {
      await this.outbox.add(JobName.TradeAgreed, {
        tradeId: auction.id,
        source: 'auction',
        listingId: auction.listingId,
        listingTitle: auction.listingTitle,
        sellerOrganizationId: auction.sellerOrganizationId,
        buyerOrganizationId: winner.organizationId,
        priceFen: winner.amountFen,
        agreedAt: now.toISOString(),
        // The winner's deposit is captured and counts towards the price.
        terms: marketPriceTerms(
          winner.amountFen,
          listing.transferModes,
          auction.depositFen,
          agreedIpItems(listing.ipItems),
        ),
      });
    }
    this.afterCommit(() => this.events.publish([{ type: 'settled', auctionId: auction.id, status: auction.status }]));
  }

  /** An auction's kind never changes, so each process remembers it (bids need it first). */
  async kindOf(id: string): Promise<AuctionKind> {
    let kind = this.kinds.get(id);
    if (!kind) {
      kind = (await this.get(id)).kind;
      this.kinds.set(id, kind);
    }
    return kind;
  }

  async get(id: string): Promise<Auction> {
    const auction = await this.auctions.findOneBy({ id });
    if (!auction) throw AuctionErrors.notFound(id);
    return auction;
  }

  private async lock(id: string): Promise<Auction> {
    const auction = await this.auctions.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!auction) throw AuctionErrors.notFound(id);
    return auction;
  }

  /**
   * Each bidder's best offer, highest first (sealed ties: the earlier bid). English bids rise by
   * at least the increment, so no two accepted bids share an amount.
   */
  private async rankedOffers(auction: Auction): Promise<Winner[]> {
    if (auction.kind === AuctionKind.English) {
      const rows: { organizationId: string; amountFen: string }[] = await this.txHost.tx
        .getRepository(AuctionBid)
        .createQueryBuilder('bid')
        .select('bid.bidder_organization_id', 'organizationId')
        .addSelect('max(bid.amount_fen)', 'amountFen')
        .where('bid.auction_id = :id AND bid.accepted', { id: auction.id })
        .groupBy('bid.bidder_organization_id')
        .orderBy('"amountFen"', 'DESC')
        .getRawMany();
      return rows.map((row) => ({ organizationId: row.organizationId, amountFen: Number(row.amountFen) }));
    }
    const bids = await this.txHost.tx.getRepository(SealedBid).find({
      where: { auctionId: auction.id },
      order: { amountFen: 'DESC', firstPlacedAt: 'ASC' },
    });
    return bids.map((bid) => ({ organizationId: bid.bidderOrganizationId, amountFen: bid.amountFen }));
  }

  /** Live events go out once the job's transaction has committed (best effort: the row is the record). */
  private afterCommit(publish: () => void): void {
    this.postCommit.add(publish);
  }

  toView(auction: Auction, actor: Actor | undefined): AuctionView {
    const privileged =
      actor !== undefined &&
      (actor.organizationId === auction.sellerOrganizationId || actor.roles.includes(Role.Admin));
    const sealedAndOpen =
      auction.kind === AuctionKind.Sealed && [AuctionStatus.Scheduled, AuctionStatus.Open].includes(auction.status);
    const view: AuctionView = {
      id: auction.id,
      listingId: auction.listingId,
      listingTitle: auction.listingTitle,
      technicalField: auction.technicalField,
      sellerOrganizationId: auction.sellerOrganizationId,
      kind: auction.kind,
      status: auction.status,
      startingPriceFen: auction.startingPriceFen,
      incrementFen: auction.incrementFen,
      depositFen: auction.depositFen,
      startsAt: auction.startsAt.toISOString(),
      endsAt: auction.endsAt.toISOString(),
      currentPriceFen: sealedAndOpen ? null : auction.currentPriceFen,
      minimumNextBidFen: auction.kind === AuctionKind.English ? minimumNextBid(auction) : null,
      bidCount: sealedAndOpen ? 0 : auction.bidCount,
      allowedBuyerOrganizationIds: auction.allowedBuyerOrganizationIds,
      winnerOrganizationId: auction.winnerOrganizationId,
      finalPriceFen: auction.finalPriceFen,
    };
    // The reserve stays hidden from bidders until the auction is over.
    if (privileged || ![AuctionStatus.Scheduled, AuctionStatus.Open].includes(auction.status)) {
      view.reservePriceFen = auction.reservePriceFen;
    }
    return view;
  }
}
