import type { IpItemInput, ListingView, OwnListingView } from './dto/listing.dto';
import { TECHNICAL_FIELD_LABELS } from './domain/vocabulary';
import type { Listing } from './entities/listing.entity';

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** The public face of a listing: what any visitor may see once it is announced. */
export function toListingView(listing: Listing): ListingView {
  return {
    id: listing.id,
    title: listing.title,
    summary: listing.summary,
    technicalField: listing.technicalField,
    technicalFieldLabel: TECHNICAL_FIELD_LABELS[listing.technicalField],
    maturity: listing.maturity,
    ipItems: listing.ipItems.map((item): IpItemInput => ({
      kind: item.kind,
      number: item.number ?? undefined,
      legalStatus: item.legalStatus,
      filingDate: item.filingDate ?? null,
    })),
    transferModes: listing.transferModes,
    pricingMode: listing.pricingMode,
    askingPriceFen: listing.askingPriceFen,
    regionCode: listing.regionCode,
    status: listing.status,
    seller: { organizationId: listing.organizationId, name: listing.sellerName },
    publishedAt: iso(listing.approvedAt),
    announcementEndsAt: iso(listing.announcementEndsAt),
    announcementPaused: listing.announcementPausedAt !== null,
    openedAt: iso(listing.openedAt),
    listingPeriodEndsAt: iso(listing.listingPeriodEndsAt),
    auctionId: listing.auctionId,
    openNegotiations: listing.openNegotiations ?? 0,
  };
}

/** What the seller's organization and admins see. */
export function toOwnListingView(listing: Listing): OwnListingView {
  return {
    ...toListingView(listing),
    internalNote: listing.internalNote,
    createdAt: listing.createdAt.toISOString(),
    updatedAt: listing.updatedAt.toISOString(),
    closedReason: listing.closedReason ?? listing.reviewNote,
  };
}
