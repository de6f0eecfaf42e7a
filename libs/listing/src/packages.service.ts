import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { In } from 'typeorm';
import { Clock } from '@market/clock';
import type { Actor } from '@market/identity';
import { PUBLIC_STATUSES } from './domain/listing-state';
import { shanghaiDate } from './domain/market-date';
import { PackageInput, PackageQuery, PackageSummaryView, PackageView } from './dto/trading.dto';
import { AchievementPackage, AchievementPackageItem } from './entities/achievement-package.entity';
import { Listing } from './entities/listing.entity';
import { ListingErrors } from './listing.errors';
import { toListingView } from './listing-views';

/** Achievement packages (科技成果包): admins publish named, dated sets of public listings by industry. */
@Injectable()
export class PackagesService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
  ) {}

  async publish(admin: Actor, input: PackageInput): Promise<PackageView> {
    return this.txHost.withTransaction(async () => {
      const listings = await this.txHost.tx.getRepository(Listing).findBy({ id: In(input.listingIds) });
      const publicIds = new Set(listings.filter((l) => PUBLIC_STATUSES.includes(l.status)).map((l) => l.id));
      const refused = input.listingIds.filter((id) => !publicIds.has(id));
      if (refused.length > 0) throw ListingErrors.packageListingsNotPublic(refused);
      const pkg = await this.txHost.tx.getRepository(AchievementPackage).save({
        title: input.title,
        technicalField: input.technicalField,
        description: input.description ?? '',
        issuedOn: input.issuedOn ?? shanghaiDate(this.clock.now()),
        publishedBy: admin.userId,
      });
      await this.txHost.tx
        .getRepository(AchievementPackageItem)
        .insert(input.listingIds.map((listingId, position) => ({ packageId: pkg.id, listingId, position })));
      return this.get(pkg.id);
    });
  }

  async list(query: PackageQuery): Promise<{ total: number; items: PackageSummaryView[] }> {
    const qb = this.txHost.tx
      .getRepository(AchievementPackage)
      .createQueryBuilder('p')
      .orderBy('p.issued_on', 'DESC')
      .addOrderBy('p.created_at', 'DESC')
      .take(query.limit)
      .skip(query.offset);
    if (query.field) qb.andWhere('p.technical_field = :field', { field: query.field });
    if (query.listingId)
      qb.andWhere(
        `EXISTS (SELECT 1 FROM achievement_package_item i JOIN listing l ON l.id = i.listing_id
                  WHERE i.package_id = p.id AND i.listing_id = :listingId AND l.status IN (:...statuses))`,
        { listingId: query.listingId, statuses: PUBLIC_STATUSES },
      );
    const [packages, total] = await qb.getManyAndCount();
    const counts = await this.counts(packages.map((p) => p.id));
    return { total, items: packages.map((p) => toSummary(p, counts.get(p.id) ?? 0)) };
  }

  /** A package with its listings that are still public, in the published order. */
  async get(id: string): Promise<PackageView> {
    const pkg = await this.txHost.tx.getRepository(AchievementPackage).findOneBy({ id });
    if (!pkg) throw ListingErrors.packageNotFound(id);
    const items = await this.txHost.tx
      .getRepository(AchievementPackageItem)
      .find({ where: { packageId: id }, order: { position: 'ASC' } });
    const listings = await this.txHost.tx.getRepository(Listing).findBy({ id: In(items.map((i) => i.listingId)) });
    const byId = new Map(listings.filter((l) => PUBLIC_STATUSES.includes(l.status)).map((l) => [l.id, l]));
    const visible = items.flatMap((item) =>
      byId.has(item.listingId) ? [toListingView(byId.get(item.listingId)!)] : [],
    );
    return { ...toSummary(pkg, visible.length), listings: visible };
  }

  private async counts(packageIds: string[]): Promise<Map<string, number>> {
    if (packageIds.length === 0) return new Map();
    const rows: { package_id: string; count: number }[] = await this.txHost.tx.query(
      `SELECT i.package_id, count(*)::int AS count
         FROM achievement_package_item i JOIN listing l ON l.id = i.listing_id
        WHERE i.package_id = ANY($1) AND l.status = ANY($2)
        GROUP BY i.package_id`,
      [packageIds, PUBLIC_STATUSES],
    );
    return new Map(rows.map((r) => [r.package_id, r.count]));
  }
}

function toSummary(pkg: AchievementPackage, listingCount: number): PackageSummaryView {
  return {
    id: pkg.id,
    title: pkg.title,
    technicalField: pkg.technicalField,
    description: pkg.description,
    issuedOn: pkg.issuedOn,
    listingCount,
  };
}
