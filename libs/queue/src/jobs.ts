/**
 * Every queue and every job of the market, named once. A job's payload is typed by its name
 * and carries ids and plain JSON, never entities.
 *
 * Each bounded context consumes its own queue. An outbox row names a job; the relay publishes
 * it to every queue in JOB_ROUTES, so one event can reach several contexts, each once.
 */
import type { RegisteredContractFacts } from './registered-contract';
import type { AgreedTerms } from './trade-terms';

export enum QueueName {
  Notifications = 'notifications',
  Listings = 'listings',
  Auctions = 'auctions',
  Payments = 'payments',
  /** Contracts: drafting from deals, registration, performance tracking. */
  Contracts = 'contracts',
  Negotiations = 'negotiations',
  /** False-contract screening: every registration application, scored for the auditors. */
  Risk = 'risk',
  /** Credit records: the decisions that make or mar an organization's and a broker's record. */
  Credit = 'credit',
  /** Market statistics: aggregates of registered contracts, kept up to date event by event. */
  Stats = 'stats',
  /** The market's own bookkeeping, on a schedule kept in Redis (not from the outbox). */
  Housekeeping = 'housekeeping',
}

export enum JobName {
  OrganizationVerified = 'organization.verified',
  /** Delayed: the announcement (公示) of a listing should end now, if it was not paused or moved. */
  ListingAnnouncementEnded = 'listing.announcement_ended',
  /** Delayed: the listing period of a listed-price listing should end now; intents are resolved. */
  ListingPeriodEnded = 'listing.period_ended',
  /** A deal was struck (listed trade, auction, negotiation): the contract context takes it from here. */
  TradeAgreed = 'trade.agreed',
  /** Two or more buyers intended on a listed-price listing: it goes to auction among them. */
  ListingConvertedToAuction = 'listing.converted_to_auction',
  /** A deposit (保证金) is now held: the payer may take part in what it secures. */
  DepositHeld = 'deposit.held',
  /** Delayed: an auction should open now. */
  AuctionOpenDue = 'auction.open_due',
  /** Delayed: an auction should close now, unless a late bid moved its end. */
  AuctionCloseDue = 'auction.close_due',
  /** A closed auction is settled: deposits captured or released, the deal handed on. */
  AuctionSettle = 'auction.settle',
  /** A payment captured at once (no hold before: a contract milestone paid by card) reached the market. */
  DepositCaptured = 'deposit.captured',
  /** A deposit was recorded as to be captured: take the money at the provider, then record it. */
  DepositCapture = 'deposit.capture',
  /** A deposit was recorded as to be released: give it back at the provider, then record it. */
  DepositRelease = 'deposit.release',
  /** Delayed: a negotiation's standing offer runs out now, unless it was answered or countered. */
  NegotiationOfferExpiryDue = 'negotiation.offer_expiry_due',
  /** Delayed: a day before a standing offer runs out, the side that must answer is reminded. */
  NegotiationAnswerReminderDue = 'negotiation.answer_reminder_due',
  /** Delayed: the price announcement (交易价格公示) of an agreed deal should end now, if no objection paused it. */
  NegotiationAnnouncementEnded = 'negotiation.announcement_ended',
  /** Something happened in a negotiation that its parties (and broker) are told about. */
  NegotiationNotice = 'negotiation.notice',
  /**
   * A registration application (or a change or cancellation) reached its office: screened on the
   * contract queue by the risk context's rules (ScreeningService), then under review.
   */
  ContractSubmitted = 'contract.submitted',
  /** An auditor decided a registration application: registered, refused or confirmed false (risk keeps it with the findings). */
  RegistrationDecided = 'registration.decided',
  /** An office registered a contract (认定登记): it now counts in the market's figures. */
  ContractRegistered = 'contract.registered',
  /** An office registered a change (变更登记) of a registered contract: its figures are the new version's. */
  ContractRegistrationChanged = 'contract.registration_changed',
  /** An office registered a cancellation (注销登记): the contract no longer counts. */
  ContractRegistrationCancelled = 'contract.registration_cancelled',
  /** Delayed: a registered contract's validity starts now: it is performing. */
  ContractPerformanceStart = 'contract.performance_start',
  /** Delayed: a milestone falls due now; if it is not done it is overdue. */
  ContractMilestoneDue = 'contract.milestone_due',
  /** Something happened to a contract that its parties (and broker) are told about. */
  ContractNotice = 'contract.notice',
  /** Hourly, from one BullMQ job scheduler: old idempotency keys, outbox rows and markers go. */
  Housekeeping = 'housekeeping.run',
  /** An admin upheld an objection (异议) to a listing's announcement: it counts against the seller's credit record. */
  ListingObjectionUpheld = 'listing.objection_upheld',
  /** An objection to a deal's price announcement (交易价格公示) was upheld and the deal annulled: on its parties' credit records. */
  NegotiationDealAnnulled = 'negotiation.deal_annulled',
  /** A milestone of a contract in performance was done by its due day: on the owing party's credit record. */
  ContractMilestoneKept = 'contract.milestone_kept',
  /** A milestone of a contract in performance was marked overdue: on the owing party's credit record. */
  ContractMilestoneMissed = 'contract.milestone_missed',
}

export interface TradeAgreedPayload {
  /** Stable id of the deal, unique across sources. */
  tradeId: string;
  source: 'listed' | 'auction' | 'negotiation';
  listingId: string;
  listingTitle: string;
  sellerOrganizationId: string;
  buyerOrganizationId: string;
  priceFen: number;
  agreedAt: string;
  /** What was agreed beyond the price; `terms.priceFen` equals `priceFen`. */
  terms: AgreedTerms;
}

/** A negotiation's offer deadline (expiry, or the reminder a day before). */
export interface NegotiationOfferDeadlinePayload {
  negotiationId: string;
  offerId: string;
  /** The deadline the job was scheduled for; a job whose offer was answered or whose deadline moved does nothing. */
  at: string;
}

/** What a negotiation notice is about; the notification context words it. */
export type NegotiationNoticeKind =
  | 'offer_received'
  | 'proposal_to_confirm'
  | 'answer_due'
  | 'accepted'
  | 'rejected'
  | 'expired'
  | 'withdrawn'
  | 'closed_by_exclusivity'
  | 'broker_invited'
  | 'announcement_started'
  | 'announcement_ended'
  | 'annulled';

export interface NegotiationNoticePayload {
  negotiationId: string;
  listingId: string;
  listingTitle: string;
  kind: NegotiationNoticeKind;
  /** Every member of these organizations is told. */
  organizationIds: string[];
  /** And these users (an invited broker). */
  userIds: string[];
  /** Plain facts for the inbox: offer id, price, reason, deadline. Never more than the recipients may see. */
  data: Record<string, string | number | null>;
}

export interface AuctionDeadlinePayload {
  auctionId: string;
  /** The deadline the job was scheduled for; a job whose deadline has moved does nothing. */
  at: string;
}

export interface RegistrationDecidedPayload {
  contractId: string;
  sellerOrganizationId: string;
  buyerOrganizationId: string;
  /** The broker agency, when a broker mediated the contract. */
  brokerOrganizationId: string | null;
  outcome: 'registered' | 'refused' | 'confirmed_false';
  /** The 14-digit number, once registered. */
  registrationNumber: string | null;
  decidedBy: string;
  decidedAt: string;
  reason: string | null;
}

/** An objection to a listing's announcement upheld against the listing's organization. */
export interface ListingObjectionUpheldPayload {
  listingId: string;
  listingTitle: string;
  objectionId: string;
  /** The listing's organization: the objection was upheld against it. */
  sellerOrganizationId: string;
  ruledAt: string;
}

/** A deal annulled after an objection to its price announcement was upheld. */
export interface NegotiationDealAnnulledPayload {
  negotiationId: string;
  listingId: string;
  listingTitle: string;
  objectionId: string;
  sellerOrganizationId: string;
  buyerOrganizationId: string;
  /** The invited broker's agency, when a broker mediated the deal. */
  brokerOrganizationId: string | null;
  annulledAt: string;
}

/** A milestone kept (done by its due day) or missed (marked overdue), for the credit records. */
export interface ContractMilestoneCreditPayload {
  contractId: string;
  milestoneId: string;
  milestoneKey: string;
  milestoneTitle: string;
  kind: 'deliverable' | 'payment';
  dueOn: string;
  /** The party that owed it: the buyer pays; the seller delivers (the party that delivered, when kept). */
  owingOrganizationId: string;
  /** When it was done (kept) or marked overdue (missed). */
  at: string;
}

/** A registration decision that changes what counts: the application decided, and the facts now registered. */
export interface ContractRegisteredPayload {
  registrationId: string;
  at: string;
  facts: RegisteredContractFacts;
}

export interface JobPayloads {
  [JobName.RegistrationDecided]: RegistrationDecidedPayload;
  [JobName.OrganizationVerified]: { organizationId: string; verifiedAt: string };
  [JobName.ListingAnnouncementEnded]: { listingId: string; endsAt: string };
  [JobName.ListingPeriodEnded]: { listingId: string; endsAt: string };
  [JobName.TradeAgreed]: TradeAgreedPayload;
  [JobName.ListingConvertedToAuction]: {
    listingId: string;
    listingTitle: string;
    sellerOrganizationId: string;
    buyerOrganizationIds: string[];
    askingPriceFen: number;
    convertedAt: string;
  };
  [JobName.AuctionOpenDue]: AuctionDeadlinePayload;
  [JobName.AuctionCloseDue]: AuctionDeadlinePayload;
  [JobName.AuctionSettle]: { auctionId: string };
  [JobName.Housekeeping]: Record<string, never>;
  [JobName.NegotiationOfferExpiryDue]: NegotiationOfferDeadlinePayload;
  [JobName.NegotiationAnswerReminderDue]: NegotiationOfferDeadlinePayload;
  [JobName.NegotiationAnnouncementEnded]: { negotiationId: string; endsAt: string };
  [JobName.NegotiationNotice]: NegotiationNoticePayload;
  [JobName.ContractPerformanceStart]: { contractId: string; startsAt: string };
  [JobName.ContractMilestoneDue]: { contractId: string; milestoneId: string; dueAt: string };
  [JobName.ContractNotice]: {
    contractId: string;
    kind: string;
    title: string;
    /** Every member of these organizations is told. */
    organizationIds: string[];
    data: Record<string, string | number | null>;
  };
  [JobName.ContractSubmitted]: {
    contractId: string;
    registrationId: string;
    officeId: string;
    kind: string;
    submittedAt: string;
  };
  [JobName.ContractRegistered]: ContractRegisteredPayload;
  [JobName.ContractRegistrationChanged]: ContractRegisteredPayload;
  [JobName.ContractRegistrationCancelled]: { registrationId: string; contractId: string; at: string };
  [JobName.DepositCapture]: { depositId: string };
  [JobName.DepositCaptured]: {
    depositId: string;
    purpose: string;
    referenceId: string;
    payerOrganizationId: string;
    amountFen: number;
    method: string;
    capturedAt: string;
  };
  [JobName.ListingObjectionUpheld]: ListingObjectionUpheldPayload;
  [JobName.NegotiationDealAnnulled]: NegotiationDealAnnulledPayload;
  [JobName.ContractMilestoneKept]: ContractMilestoneCreditPayload;
  [JobName.ContractMilestoneMissed]: ContractMilestoneCreditPayload;
  [JobName.DepositRelease]: { depositId: string };
  [JobName.DepositHeld]: {
    depositId: string;
    purpose: string;
    referenceId: string;
    payerOrganizationId: string;
    amountFen: number;
    method: string;
    heldAt: string;
  };
}

/** Which queues receive each job. The worker refuses to start unless each pair has one handler. */
export const JOB_ROUTES: Record<JobName, QueueName[]> = {
  [JobName.RegistrationDecided]: [QueueName.Risk, QueueName.Credit],
  [JobName.OrganizationVerified]: [QueueName.Notifications],
  [JobName.ListingAnnouncementEnded]: [QueueName.Listings],
  [JobName.ListingPeriodEnded]: [QueueName.Listings],
  [JobName.TradeAgreed]: [QueueName.Notifications, QueueName.Contracts],
  [JobName.ListingConvertedToAuction]: [QueueName.Notifications, QueueName.Auctions],
  [JobName.AuctionOpenDue]: [QueueName.Auctions],
  [JobName.AuctionCloseDue]: [QueueName.Auctions],
  [JobName.AuctionSettle]: [QueueName.Auctions],
  [JobName.DepositHeld]: [QueueName.Notifications, QueueName.Contracts],
  [JobName.DepositCapture]: [QueueName.Payments],
  [JobName.DepositCaptured]: [QueueName.Contracts],
  [JobName.DepositRelease]: [QueueName.Payments],
  [JobName.Housekeeping]: [QueueName.Housekeeping],
  [JobName.NegotiationOfferExpiryDue]: [QueueName.Negotiations],
  [JobName.NegotiationAnswerReminderDue]: [QueueName.Negotiations],
  [JobName.NegotiationAnnouncementEnded]: [QueueName.Negotiations],
  [JobName.NegotiationNotice]: [QueueName.Notifications],
  [JobName.ContractSubmitted]: [QueueName.Contracts],
  [JobName.ContractRegistered]: [QueueName.Stats],
  [JobName.ContractRegistrationChanged]: [QueueName.Stats],
  [JobName.ContractRegistrationCancelled]: [QueueName.Stats],
  [JobName.ContractPerformanceStart]: [QueueName.Contracts],
  [JobName.ContractMilestoneDue]: [QueueName.Contracts],
  [JobName.ContractNotice]: [QueueName.Notifications],
  [JobName.ListingObjectionUpheld]: [QueueName.Credit],
  [JobName.NegotiationDealAnnulled]: [QueueName.Credit],
  [JobName.ContractMilestoneKept]: [QueueName.Credit],
  [JobName.ContractMilestoneMissed]: [QueueName.Credit],
};

export const ALL_QUEUES: QueueName[] = Object.values(QueueName);

/**
 * The deadline a delayed job stands for, per aggregate: a newer row with the same key supersedes
 * the older ones (a late bid moved the auction's end, an objection's dismissal set a new end to
 * the announcement), so the outbox knows which row still holds and never re-adds the others.
 */
export const DEADLINE_KEYS: Partial<{ [N in JobName]: (payload: JobPayloads[N]) => string }> = {
  [JobName.ListingAnnouncementEnded]: (payload) => payload.listingId,
  [JobName.ListingPeriodEnded]: (payload) => payload.listingId,
  [JobName.AuctionOpenDue]: (payload) => payload.auctionId,
  [JobName.AuctionCloseDue]: (payload) => payload.auctionId,
  [JobName.ContractMilestoneDue]: (payload) => payload.milestoneId,
  [JobName.ContractPerformanceStart]: (payload) => payload.contractId,
  [JobName.NegotiationOfferExpiryDue]: (payload) => payload.negotiationId,
  [JobName.NegotiationAnswerReminderDue]: (payload) => payload.negotiationId,
  [JobName.NegotiationAnnouncementEnded]: (payload) => payload.negotiationId,
};

/** The deadline key of an outbox row (`auction.close_due:<auction id>`), or null for a job that is no deadline. */
export function deadlineKeyOf<N extends JobName>(name: N, payload: JobPayloads[N]): string | null {
  const key = DEADLINE_KEYS[name] as ((payload: JobPayloads[N]) => string) | undefined;
  return key ? `${name}:${key(payload)}` : null;
}
