import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Clock } from '@market/clock';
import { Actor, OrganizationsService, Role } from '@market/identity';
import { ListingsService, ListingStatus, PricingMode } from '@market/listing';
import { DepositOpening, DepositsService, DepositStatus } from '@market/payments';
import { JobName, JobPayloads, OnJob, Outbox, PostCommit, QueueName } from '@market/queue';
import { AuctionErrors } from './auction.errors';
import { AuctionKind, AuctionStatus } from './domain/auction-state';
import { minimumNextBid } from './domain/bid-rules';
import { AuctionView, BidView, CreateAuctionInput } from './dto/auction.dto';
import { AuctionBid } from './entities/auction-bid.entity';
import { Auction } from './entities/auction.entity';
import { SealedBid } from './entities/sealed-bid.entity';
import { AuctionEventsService } from './live/auction-events.service';

const DAY_MS = 24 * 3600 * 1000;

/** Auctions: creation, deposits, reading, and the jobs that open, close and settle them. */
@Injectable()
export class AuctionsService {
  private readonly kinds = new Map<string, AuctionKind>();

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

  /** The seller (or an admin) auctions an open auction-mode listing. */
  async create(actor: Actor, input: CreateAuctionInput): Promise<AuctionView> {
    const listing = await this.listings.auctionable(input.listingId);
    if (listing.organizationId !== actor.organizationId && !actor.roles.includes(Role.Admin))
      throw AuctionErrors.notSeller();
    if (listing.status !== ListingStatus.Open)
      throw AuctionErrors.listingNotAuctionable(`The listing is ${listing.status}`);
    if (listing.pricingMode !== PricingMode.Auction) {
      throw AuctionErrors.listingNotAuctionable('Only a listing priced by auction (拍卖) can be auctioned');
    }
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
    if (await this.auctions.existsBy({ listingId: payload.listingId })) return;
    const now = this.clock.now();
    const asking = payload.askingPriceFen;
    await this.schedule({
      listingId: payload.listingId,
      listingTitle: payload.listingTitle,
      sellerOrganizationId: payload.sellerOrganizationId,
      kind: AuctionKind.English,
      startingPriceFen: asking,
      reservePriceFen: asking,
      incrementFen: Math.max(10_000, Math.round(asking / 100)),
      depositFen: Math.round(asking / 10),
      allowedBuyerOrganizationIds: payload.buyerOrganizationIds,
      startsAt: new Date(now.getTime() + DAY_MS),
      endsAt: new Date(now.getTime() + 2 * DAY_MS),
      createdBy: null,
    });
  }

  private async schedule(fields: Partial<Auction>): Promise<Auction> {
    return this.txHost
      .withTransaction(async () => {
        const auction = await this.auctions.save(this.auctions.create({ ...fields, status: AuctionStatus.Scheduled }));
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

  /** A buyer asks for its deposit: a card hold through Stripe, or bank-transfer instructions. */
  async requestDeposit(actor: Actor, id: string, method?: 'stripe' | 'offline'): Promise<DepositOpening> {
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
  }

  /**
   * English: the accepted bids, in order. Sealed: before the close, only your own bid — nobody,
   * the seller and admins included, sees the others; after the close, all of them.
   */
  async bids(actor: Actor, id: string): Promise<BidView[]> {
    const auction = await this.get(id);
    if (auction.kind === AuctionKind.English) {
      const rows = await this.txHost.tx.getRepository(AuctionBid).find({
        where: { auctionId: id, accepted: true },
        order: { seq: 'ASC' },
      });
      return rows.map((b) => ({
        id: b.id,
        seq: b.seq,
        amountFen: b.amountFen,
        bidderOrganizationId: b.bidderOrganizationId,
        createdAt: b.createdAt.toISOString(),
      }));
    }
    const sealedOpen = [AuctionStatus.Scheduled, AuctionStatus.Open].includes(auction.status);
    const rows = await this.txHost.tx.getRepository(SealedBid).find({
      where: sealedOpen ? { auctionId: id, bidderOrganizationId: actor.organizationId } : { auctionId: id },
      order: { amountFen: 'DESC', firstPlacedAt: 'ASC' },
    });
    return rows.map((b) => ({
      id: `${b.auctionId}:${b.bidderOrganizationId}`,
      seq: null,
      amountFen: b.amountFen,
      bidderOrganizationId: b.bidderOrganizationId,
      createdAt: b.updatedAt.toISOString(),
    }));
  }

  @OnJob(QueueName.Auctions, JobName.AuctionOpenDue)
  async onOpenDue(payload: JobPayloads[JobName.AuctionOpenDue]): Promise<void> {
    const auction = await this.lock(payload.auctionId);
    if (auction.status !== AuctionStatus.Scheduled) return;
    const now = this.clock.now();
    if (!(await this.outbox.deadlineReached(JobName.AuctionOpenDue, payload, auction.startsAt, payload.at, now))) {
      return;
    }
    auction.status = AuctionStatus.Open;
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
   * carries the new end). The winner is the highest bid at or above the reserve.
   */
  @OnJob(QueueName.Auctions, JobName.AuctionCloseDue)
  async onCloseDue(payload: JobPayloads[JobName.AuctionCloseDue]): Promise<void> {
    const auction = await this.lock(payload.auctionId);
    if (auction.status !== AuctionStatus.Open) return;
    const now = this.clock.now();
    // A late bid may have moved the end: its job carries the new one.
    if (!(await this.outbox.deadlineReached(JobName.AuctionCloseDue, payload, auction.endsAt, payload.at, now))) return;
    const best = await this.highestBid(auction);
    const reserveMet = best !== null && (auction.reservePriceFen === null || best.amountFen >= auction.reservePriceFen);
    auction.status = AuctionStatus.Closed;
    auction.closedAt = now;
    auction.winnerOrganizationId = reserveMet ? best.organizationId : null;
    auction.finalPriceFen = reserveMet ? best.amountFen : null;
    if (auction.kind === AuctionKind.Sealed && best) {
      auction.currentPriceFen = best.amountFen;
      auction.bidCount = await this.txHost.tx.getRepository(SealedBid).countBy({ auctionId: auction.id });
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
   * Settlement, once: the winner's deposit is captured (applied to the price), every other
   * deposit released, the listing goes under contract and the deal goes to the contract context.
   * Below the reserve the auction fails and every deposit is released. Each deposit operation is
   * idempotent (keyed at Stripe by deposit and operation), so a settlement cut off half-way and
   * run again touches each deposit once.
   */
  @OnJob(QueueName.Auctions, JobName.AuctionSettle)
  async onSettle(payload: JobPayloads[JobName.AuctionSettle]): Promise<void> {
    const auction = await this.lock(payload.auctionId);
    if (auction.status !== AuctionStatus.Closed) return;
    const won = auction.winnerOrganizationId !== null;
    for (const deposit of await this.deposits.listForReference(auction.id)) {
      const isWinner = won && deposit.payerOrganizationId === auction.winnerOrganizationId;
      if (isWinner && deposit.status === DepositStatus.Held) await this.deposits.capture(deposit.id);
      else if (!isWinner && [DepositStatus.Held, DepositStatus.Pending].includes(deposit.status)) {
        await this.deposits.release(deposit.id);
      }
    }
    const now = this.clock.now();
    auction.status = won ? AuctionStatus.Settled : AuctionStatus.Failed;
    auction.settledAt = now;
    await this.auctions.save(auction);
    if (won) {
      await this.listings.markUnderContract(auction.listingId);
      await this.outbox.add(JobName.TradeAgreed, {
        tradeId: auction.id,
        source: 'auction',
        listingId: auction.listingId,
        listingTitle: auction.listingTitle,
        sellerOrganizationId: auction.sellerOrganizationId,
        buyerOrganizationId: auction.winnerOrganizationId!,
        priceFen: auction.finalPriceFen!,
        agreedAt: now.toISOString(),
      });
    }
    this.afterCommit(() => this.events.publish([{ type: 'settled', auctionId: auction.id, status: auction.status }]));
  }

  /** An auction's kind never changes, so each process remembers it (bids need it first). */
  async kindOf(id: string): Promise<AuctionKind> {
    let kind = this.kinds.get(id);
    if (!kind) {
      kind = (await this.get(id)).kind;
      if (this.kinds.size > 100_000) this.kinds.clear();
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

  private async highestBid(auction: Auction): Promise<{ organizationId: string; amountFen: number } | null> {
    if (auction.kind === AuctionKind.English) {
      return auction.currentPriceFen === null
        ? null
        : { organizationId: auction.leadingBidderOrganizationId!, amountFen: auction.currentPriceFen };
    }
    const [best] = await this.txHost.tx.getRepository(SealedBid).find({
      where: { auctionId: auction.id },
      order: { amountFen: 'DESC', firstPlacedAt: 'ASC' },
      take: 1,
    });
    return best ? { organizationId: best.bidderOrganizationId, amountFen: best.amountFen } : null;
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
