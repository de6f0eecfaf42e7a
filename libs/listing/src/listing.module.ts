import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@market/audit';
import { IdentityModule } from '@market/identity';
import { AnnouncementService } from './announcement.service';
import { AchievementPackage, AchievementPackageItem } from './entities/achievement-package.entity';
import { ListingIntent } from './entities/listing-intent.entity';
import { ListingObjection } from './entities/listing-objection.entity';
import { Listing } from './entities/listing.entity';
import { ListedTradingService } from './listed-trading.service';
import { ListingFiguresService } from './listing-figures.service';
import { ListingSearchService } from './listing-search.service';
import { ListingsService } from './listings.service';
import { PackagesService } from './packages.service';

/** Listings: publication with announcement and objections, search, packages, listed trading. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Listing, ListingObjection, ListingIntent, AchievementPackage, AchievementPackageItem]),
    IdentityModule,
    AuditModule,
  ],
  providers: [
    ListingsService,
    AnnouncementService,
    ListedTradingService,
    ListingSearchService,
    PackagesService,
    ListingFiguresService,
  ],
  exports: [
    ListingsService,
    AnnouncementService,
    ListedTradingService,
    ListingSearchService,
    PackagesService,
    ListingFiguresService,
  ],
})
export class ListingModule {}
