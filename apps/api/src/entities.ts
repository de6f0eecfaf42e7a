import { Auction, AuctionBid, SealedBid } from '@market/auction';
import { AuditEntry } from '@market/audit';
import { CONTRACT_ENTITIES } from '@market/contract';
import { IdempotencyKey } from '@market/http';
import { Organization, User } from '@market/identity';
import { AchievementPackage, AchievementPackageItem, Listing, ListingIntent, ListingObjection } from '@market/listing';
import { Negotiation, NegotiationMessage, NegotiationOffer, PriceObjection } from '@market/negotiation';
import { Notification } from '@market/notification';
import { Deposit, StripeEvent } from '@market/payments';
import { DeadJob, OutboxEvent, ProcessedJob } from '@market/queue';
import { CreditEvent } from '@market/credit';
import { OrganizationRelationRecord, RiskContract, RiskFinding } from '@market/risk';
import { STATS_ENTITIES } from '@market/stats';

/**
 * Every entity of the market, composed where the apps compose the contexts: the TypeORM CLI
 * (`libs/database/src/data-source.ts`) reads it for `migration:generate`. The apps themselves load
 * entities per context module; test/migrations.e2e-spec.ts checks that this list is exactly what
 * the api and the worker load, and that the migrations build exactly these entities' schema.
 */
export const MARKET_ENTITIES = [
  Organization,
  User,
  Notification,
  IdempotencyKey,
  OutboxEvent,
  ProcessedJob,
  DeadJob,
  Listing,
  ListingObjection,
  ListingIntent,
  AchievementPackage,
  AchievementPackageItem,
  Deposit,
  StripeEvent,
  Auction,
  AuctionBid,
  SealedBid,
  Negotiation,
  NegotiationOffer,
  NegotiationMessage,
  PriceObjection,
  OrganizationRelationRecord,
  ...CONTRACT_ENTITIES,
  AuditEntry,
  RiskContract,
  RiskFinding,
  CreditEvent,
  ...STATS_ENTITIES,
];
