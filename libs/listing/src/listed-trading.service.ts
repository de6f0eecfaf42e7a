import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Clock } from '@market/clock';
import { Actor, canSeePrivateOf, OrganizationsService } from '@market/identity';
import { JobName, JobPayloads, marketPriceTerms, OnJob, Outbox, QueueName } from '@market/queue';
import { ListingStatus, moveListing } from './domain/listing-state';
import { PricingMode } from './domain/vocabulary';
import { IntentView } from './dto/trading.dto';
import { ListingIntent } from './entities/listing-intent.entity';
import { ListingErrors } from './listing.errors';
import { agreedIpItems, ListingsService } from './listings.service';

/**
 * Listed trading (挂牌交易): while a listed-price listing is open, verified buyers register intent
 * at the asking price. When the listing period ends: one intent is a trade at the asking price,
 * several send the listing to auction among those buyers, none lets it expire.
 */
@Injectable()
export class ListedTradingService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly listings: ListingsService,
    private readonly organizations: OrganizationsService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  private get intents() {
    return this.txHost.tx.getRepository(ListingIntent);
  }

  async registerIntent(actor: Actor, listingId: string, priceFen: number | undefined): Promise<IntentView> {
    return this.txHost.withTransaction(async () => {
      // The row lock orders intents against the period-end job: none slips in after resolution.
      const listing = await this.listings.lockVisible(actor, listingId);
      if (listing.pricingMode !== PricingMode.Listed) throw ListingErrors.notListedPrice();
      if (listing.status !== ListingStatus.Open) throw ListingErrors.invalidState(listing.status, 'take intents');
      if (listing.listingPeriodEndsAt && this.clock.now() >= listing.listingPeriodEndsAt) {
        throw ListingErrors.listingPeriodOver();
      }
      if (listing.organizationId === actor.organizationId) throw ListingErrors.ownListing();
      if (!(await this.organizations.isVerified(actor.organizationId))) throw ListingErrors.organizationNotVerified();
      const askingPriceFen = listing.askingPriceFen!;
      if (priceFen !== undefined && priceFen !== askingPriceFen)
        throw ListingErrors.intentPriceMismatch(askingPriceFen);
      if (await this.intents.existsBy({ listingId, buyerOrganizationId: actor.organizationId })) {
        throw ListingErrors.intentExists();
      }
      const intent = await this.intents.save(
        this.intents.create({
          listingId,
          buyerOrganizationId: actor.organizationId,
          buyerUserId: actor.userId,
          priceFen: askingPriceFen,
        }),
      );
      return toIntentView(intent);
    });
  }

  /** The seller (and admins) see every intent; a buyer sees its own. */
  async listIntents(actor: Actor, listingId: string): Promise<IntentView[]> {
    const listing = await this.listings.view(actor, listingId);
    const isSeller = canSeePrivateOf(actor, listing.seller.organizationId);
    const rows = await this.intents.find({
      where: isSeller ? { listingId } : { listingId, buyerOrganizationId: actor.organizationId },
      order: { createdAt: 'ASC' },
    });
    return rows.map(toIntentView);
  }

  /**
   * The delayed job at the end of the listing period. It re-checks the database: a listing no
   * longer open for intents is left alone; a job that fires early schedules itself again.
   */
  @OnJob(QueueName.Listings, JobName.ListingPeriodEnded)
  async onListingPeriodEnded(payload: JobPayloads[JobName.ListingPeriodEnded]): Promise<void> {
    const listing = await this.listings.lock(payload.listingId);
    if (listing.status !== ListingStatus.Open || listing.pricingMode !== PricingMode.Listed) return;
    const now = this.clock.now();
    const ends = listing.listingPeriodEndsAt;
    if (!(await this.outbox.deadlineReached(JobName.ListingPeriodEnded, payload, ends, payload.endsAt, now))) return;
    const intents = await this.intents.find({ where: { listingId: listing.id }, order: { createdAt: 'ASC' } });
    if (intents.length === 0) {
      this.listings.close(listing, ListingStatus.Expired, 'no intent during the listing period');
    } else if (intents.length === 1) {
      const [intent] = intents;
      moveListing(listing, ListingStatus.UnderContract, 'go under contract');
      await this.outbox.add(JobName.TradeAgreed, {
        tradeId: intent.id,
        source: 'listed',
        listingId: listing.id,
        listingTitle: listing.title,
        sellerOrganizationId: listing.organizationId,
        buyerOrganizationId: intent.buyerOrganizationId,
        priceFen: intent.priceFen,
        agreedAt: now.toISOString(),
        terms: marketPriceTerms(intent.priceFen, listing.transferModes, 0, agreedIpItems(listing.ipItems)),
      });
    } else {
      // Competing buyers: the price is found by auction among them (the auction context opens it).
      listing.pricingMode = PricingMode.Auction;
      listing.listingPeriodEndsAt = null;
      await this.outbox.add(JobName.ListingConvertedToAuction, {
        listingId: listing.id,
        listingTitle: listing.title,
        sellerOrganizationId: listing.organizationId,
        buyerOrganizationIds: intents.map((intent) => intent.buyerOrganizationId),
        askingPriceFen: listing.askingPriceFen!,
        convertedAt: now.toISOString(),
      });
    }
    await this.listings.save(listing);
  }
}

function toIntentView(intent: ListingIntent): IntentView {
  return {
    id: intent.id,
    listingId: intent.listingId,
    buyerOrganizationId: intent.buyerOrganizationId,
    priceFen: intent.priceFen,
    createdAt: intent.createdAt.toISOString(),
  };
}
