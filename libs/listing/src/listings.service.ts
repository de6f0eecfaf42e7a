import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { In } from 'typeorm';
import { AuditLog } from '@market/audit';
import { Clock } from '@market/clock';
import { AppConfig } from '@market/config';
import { Actor, canSeePrivateOf, OrganizationsService } from '@market/identity';
import { AgreedIpItem, JobName, Outbox } from '@market/queue';
import { listingTransition, ListingStatus, moveListing, PUBLIC_STATUSES } from './domain/listing-state';
import { documentTokens } from './domain/search-text';
import { PricingMode, TechnicalField, TransferMode } from './domain/vocabulary';
import { CreateListingInput, ListingView, OwnListingView, UpdateListingInput } from './dto/listing.dto';
import { ListingIntent } from './entities/listing-intent.entity';
import { IpItem, Listing } from './entities/listing.entity';
import { ListingErrors } from './listing.errors';
import { toListingView, toOwnListingView } from './listing-views';

const DAY_MS = 24 * 3600 * 1000;

/** A listing's IP items as a deal carries them to the contract (`AgreedTerms.ipItems`). */
export function agreedIpItems(items: readonly IpItem[]): AgreedIpItem[] {
  return items.map((item) => ({
    kind: item.kind,
    number: item.number,
    legalStatus: item.legalStatus,
    filingDate: item.filingDate ?? null,
  }));
}

/** The text a search term is matched against: title, summary and IP numbers (also without ZL/CN). */
export function searchDocument(listing: Pick<Listing, 'title' | 'summary' | 'ipItems'>): string {
  const numbers = listing.ipItems.flatMap((item) =>
    item.number ? [item.number, item.number.replace(/^(ZL|CN)/i, '')] : [],
  );
  return [listing.title, listing.summary, ...numbers].join(' ').toLowerCase();
}

/** Drafting and the admin review of listings: create, edit, submit, approve, reject, withdraw, read. */
@Injectable()
export class ListingsService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly organizations: OrganizationsService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly audit: AuditLog,
  ) {}

  private get listings() {
    return this.txHost.tx.getRepository(Listing);
  }

  async create(actor: Actor, input: CreateListingInput): Promise<OwnListingView> {
    const organization = await this.organizations.get(actor.organizationId);
    const listing = this.listings.create({
      ...input,
      organizationId: organization.id,
      sellerName: organization.name,
      regionCode: organization.regionCode,
      createdBy: actor.userId,
      status: ListingStatus.Draft,
      askingPriceFen: input.askingPriceFen ?? null,
      internalNote: input.internalNote ?? null,
    });
    this.index(listing);
    return toOwnListingView(await this.listings.save(listing));
  }

  async update(actor: Actor, id: string, input: UpdateListingInput): Promise<OwnListingView> {
    return this.txHost.withTransaction(async () => {
      const listing = await this.lockOwn(actor, id);
      if (listing.status !== ListingStatus.Draft) throw ListingErrors.invalidState(listing.status, 'be edited');
      Object.assign(listing, input);
      this.index(listing);
      return toOwnListingView(await this.listings.save(listing));
    });
  }

  async submit(actor: Actor, id: string): Promise<OwnListingView> {
    return this.txHost.withTransaction(async () => {
      const listing = await this.lockOwn(actor, id);
      this.ensureCanMove(listing, ListingStatus.Submitted, 'be submitted');
      if (listing.pricingMode !== PricingMode.Negotiated && listing.askingPriceFen === null) {
        throw ListingErrors.priceRequired(listing.pricingMode);
      }
      if (!(await this.organizations.isVerified(listing.organizationId))) throw ListingErrors.organizationNotVerified();
      moveListing(listing, ListingStatus.Submitted, 'be submitted');
      listing.submittedAt = this.clock.now();
      listing.reviewNote = null;
      return toOwnListingView(await this.listings.save(listing));
    });
  }

  /** Admin approval starts the announcement (公示); a delayed job ends it. */
  async approve(admin: Actor, id: string): Promise<OwnListingView> {
    return this.txHost.withTransaction(async () => {
      const listing = await this.lock(id);
      moveListing(listing, ListingStatus.Announced, 'be approved');
      const now = this.clock.now();
      listing.approvedAt = now;
      listing.approvedBy = admin.userId;
      await this.audit.append(`listing:${id}`, { actorId: admin.userId, action: 'listing.approved' });
      listing.announcementEndsAt = new Date(now.getTime() + this.config.listing.announcementDays * DAY_MS);
      await this.listings.save(listing);
      await this.outbox.add(
        JobName.ListingAnnouncementEnded,
        { listingId: id, endsAt: listing.announcementEndsAt.toISOString() },
        { runAt: listing.announcementEndsAt },
      );
      return toOwnListingView(listing);
    });
  }

  async reject(id: string, reason: string, admin?: Actor): Promise<OwnListingView> {
    return this.txHost.withTransaction(async () => {
      const listing = await this.lock(id);
      moveListing(listing, ListingStatus.Draft, 'be rejected');
      listing.reviewNote = reason;
      await this.audit.append(`listing:${id}`, { actorId: admin?.userId ?? null, action: 'listing.rejected', reason });
      return toOwnListingView(await this.listings.save(listing));
    });
  }

  /**
   * Withdrawal is refused while buyers are committed: an auction that is not over (its bidders
   * hold deposits and settlement would sell the listing), intents registered at the asking price,
   * or a conversion to auction among those buyers whose auction is yet to be scheduled. The row
   * lock orders this against the auction context recording an auction (attachAuction).
   */
  async withdraw(actor: Actor, id: string): Promise<OwnListingView> {
    return this.txHost.withTransaction(async () => {
      const listing = await this.lockOwn(actor, id);
      this.ensureCanMove(listing, ListingStatus.Withdrawn, 'be withdrawn');
      if (listing.auctionLive) throw ListingErrors.hasCommitments('its auction is not over');
      const intents = await this.txHost.tx.getRepository(ListingIntent).existsBy({ listingId: id });
      if (intents && listing.pricingMode === PricingMode.Listed) {
        throw ListingErrors.hasCommitments('buyers have registered intent at the asking price');
      }
      if (intents && listing.auctionId === null) {
        throw ListingErrors.hasCommitments('its auction among the intending buyers is being scheduled');
      }
      this.close(listing, ListingStatus.Withdrawn, 'withdrawn by the seller');
      return toOwnListingView(await this.listings.save(listing));
    });
  }

  /** A listing as `actor` may see it: private states are a 404 to other organizations. */
  async view(actor: Actor | undefined, id: string): Promise<ListingView | OwnListingView> {
    const listing = await this.listings.findOneBy({ id });
    if (!listing) throw ListingErrors.notFound(id);
    if (actor && canSeePrivateOf(actor, listing.organizationId)) return toOwnListingView(listing);
    if (!PUBLIC_STATUSES.includes(listing.status)) throw ListingErrors.notFound(id);
    return toListingView(listing);
  }

  /** The seller's own listings, every state. */
  /** Submitted listings, the longest waiting first: what the market's admins review. */
  async reviewQueue(): Promise<OwnListingView[]> {
    const rows = await this.listings.find({
      where: { status: ListingStatus.Submitted },
      order: { submittedAt: 'ASC', id: 'ASC' },
      take: 200,
    });
    return rows.map(toOwnListingView);
  }

  async mine(actor: Actor): Promise<OwnListingView[]> {
    const rows = await this.listings.find({
      where: { organizationId: actor.organizationId },
      order: { createdAt: 'DESC' },
      take: 500,
    });
    return rows.map(toOwnListingView);
  }

  /**
   * What the auction context needs of a listing it auctions. `public` says whether anyone may see
   * it; `convertedFromListedTrade` that it went to auction among the buyers who registered intent.
   */
  async auctionable(id: string): Promise<{
    id: string;
    title: string;
    organizationId: string;
    status: ListingStatus;
    public: boolean;
    pricingMode: PricingMode;
    technicalField: TechnicalField;
    askingPriceFen: number | null;
    transferModes: TransferMode[];
    ipItems: IpItem[];
    convertedFromListedTrade: boolean;
  }> {
    const listing = await this.listings.findOneBy({ id });
    if (!listing) throw ListingErrors.notFound(id);
    const { title, organizationId, status, pricingMode, technicalField, askingPriceFen, transferModes, ipItems } =
      listing;
    const convertedFromListedTrade = await this.wasConvertedFromListedTrade(listing);
    const isPublic = PUBLIC_STATUSES.includes(status);
    return {
      id,
      title,
      organizationId,
      status,
      public: isPublic,
      pricingMode,
      technicalField,
      askingPriceFen,
      transferModes,
      ipItems,
      convertedFromListedTrade,
    };
  }

  /**
   * The auction context scheduled an auction on this listing (in its transaction). The listing
   * keeps its auction's id and that it is live, rather than asking the auction context: the
   * auction library depends on this one, never the reverse. Refused unless the listing is open.
   */
  async attachAuction(id: string, auctionId: string): Promise<void> {
    const listing = await this.lock(id);
    if (listing.status !== ListingStatus.Open) throw ListingErrors.invalidState(listing.status, 'be auctioned');
    await this.listings.update({ id }, { auctionId, auctionLive: true });
  }

  /**
   * The listing's auction is over: settled (the listing goes under contract) or failed. After a
   * failed auction a listing the seller put up for auction stays open (the seller may schedule
   * another, or withdraw it); a listing converted from a listed trade expires, since its one
   * auction among the intending buyers found no price at the asking price and no other auction
   * may be held on it — left open it would be stuck for good.
   */
  async auctionEnded(id: string, auctionId: string, outcome: 'settled' | 'failed'): Promise<void> {
    if (outcome === 'settled') await this.markUnderContract(id);
    else {
      const listing = await this.lock(id);
      if (
        listing.status === ListingStatus.Open &&
        listing.auctionId === auctionId &&
        (await this.wasConvertedFromListedTrade(listing))
      ) {
        this.close(listing, ListingStatus.Expired, 'its auction among the intending buyers failed');
        await this.listings.save(listing);
      }
    }
    await this.listings.update({ id, auctionId }, { auctionLive: false });
  }

  /** Intents are only ever registered on a listed-price listing: one now priced by auction was converted. */
  private async wasConvertedFromListedTrade(listing: Listing): Promise<boolean> {
    if (listing.pricingMode !== PricingMode.Auction) return false;
    return this.txHost.tx.getRepository(ListingIntent).existsBy({ listingId: listing.id });
  }

  /** What the contract context copies into a draft from the listing a deal was struck on. */
  async contractFacts(id: string): Promise<{ technicalField: TechnicalField; ipItems: Listing['ipItems'] } | null> {
    const listing = await this.listings.findOne({
      where: { id },
      select: { id: true, technicalField: true, ipItems: true },
    });
    return listing && { technicalField: listing.technicalField, ipItems: listing.ipItems };
  }

  /** `contractFacts` of several listings in one query, by listing id (a listing not found is absent). */
  async contractFactsOf(
    ids: readonly string[],
  ): Promise<Map<string, { technicalField: TechnicalField; ipItems: Listing['ipItems'] }>> {
    const unique = [...new Set(ids)];
    const rows =
      unique.length > 0
        ? await this.listings.find({
            where: { id: In(unique) },
            select: { id: true, technicalField: true, ipItems: true },
          })
        : [];
    return new Map(rows.map((l) => [l.id, { technicalField: l.technicalField, ipItems: l.ipItems }]));
  }

  /** A deal was struck on the listing (an auction won): it is now under contract. */
  async markUnderContract(id: string): Promise<void> {
    const listing = await this.lock(id);
    if (listing.status === ListingStatus.UnderContract) return;
    moveListing(listing, ListingStatus.UnderContract, 'go under contract');
    await this.listings.save(listing);
  }

  /**
   * The negotiation context opened (+1) or ended (-1) a negotiation on this listing, in its
   * transaction. One relative update, so concurrent negotiations on the listing never lose a count.
   */
  async countOpenNegotiations(id: string, delta: 1 | -1): Promise<void> {
    await this.txHost.tx.query(
      `UPDATE listing SET open_negotiations = greatest(open_negotiations + $2, 0) WHERE id = $1`,
      [id, delta],
    );
  }

  /** Loads and row-locks a listing for a state change. */
  async lock(id: string): Promise<Listing> {
    const listing = await this.listings.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!listing) throw ListingErrors.notFound(id);
    return listing;
  }

  /** Like lock(), for anyone acting on a listing: another organization's private listing is a 404, like an unknown id. */
  async lockVisible(actor: Actor, id: string): Promise<Listing> {
    const listing = await this.lock(id);
    if (!PUBLIC_STATUSES.includes(listing.status) && !canSeePrivateOf(actor, listing.organizationId)) {
      throw ListingErrors.notFound(id);
    }
    return listing;
  }

  /** Like lock(), for the seller: another organization's listing is a 404 while private, a 403 once public. */
  async lockOwn(actor: Actor, id: string): Promise<Listing> {
    const listing = await this.lock(id);
    if (!canSeePrivateOf(actor, listing.organizationId)) {
      if (PUBLIC_STATUSES.includes(listing.status)) throw ListingErrors.notYours();
      throw ListingErrors.notFound(id);
    }
    return listing;
  }

  /** Refuses a change the state machine (domain/listing-state.ts) does not allow, before any other check. */
  ensureCanMove(listing: Listing, to: ListingStatus, action: string): void {
    listingTransition(listing.status, to, action);
  }

  /** Ends a listing (withdrawn or expired) through the state machine, with the reason shown to its seller. */
  close(listing: Listing, status: ListingStatus.Withdrawn | ListingStatus.Expired, reason: string): void {
    moveListing(listing, status, status === ListingStatus.Withdrawn ? 'be withdrawn' : 'expire');
    listing.closedAt = this.clock.now();
    listing.closedReason = reason;
    listing.announcementPausedAt = null;
  }

  save(listing: Listing): Promise<Listing> {
    return this.listings.save(listing);
  }

  private index(listing: Listing): void {
    listing.ipKinds = [...new Set(listing.ipItems.map((item) => item.kind))];
    listing.ipItems = listing.ipItems.map((item) => ({
      kind: item.kind,
      number: item.number?.trim().toUpperCase() || null,
      legalStatus: item.legalStatus,
      filingDate: item.filingDate ?? null,
    }));
    listing.searchText = searchDocument(listing);
    listing.searchTokens = documentTokens(listing.searchText);
  }
}
