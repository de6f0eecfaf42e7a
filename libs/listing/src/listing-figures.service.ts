import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { In } from 'typeorm';
import { ListingStatus } from './domain/listing-state';
import { Listing } from './entities/listing.entity';

/** The listing context's share of the market's public figures. */
@Injectable()
export class ListingFiguresService {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  /** Listings the public can see and act on: announced (公示中) or open (交易中). */
  publicCount(): Promise<number> {
    return this.txHost.tx
      .getRepository(Listing)
      .count({ where: { status: In([ListingStatus.Announced, ListingStatus.Open]) } });
  }
}
