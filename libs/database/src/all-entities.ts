import { Auction, AuctionBid, SealedBid } from '@market/auction';
import { IdempotencyKey } from '@market/http';
import { Organization, User } from '@market/identity';
import { AchievementPackage, AchievementPackageItem, Listing, ListingIntent, ListingObjection } from '@market/listing';
import { Notification } from '@market/notification';
import { Deposit, StripeEvent } from '@market/payments';
import { DeadJob, OutboxEvent, ProcessedJob } from '@market/queue';

/** Every entity, for the migration CLI only; the apps load entities per context module. */
export const ALL_ENTITIES = [
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
];
