import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AuctionStatus } from './domain/auction-state';
import { Auction } from './entities/auction.entity';

/** The auction context's share of the market's public figures. */
@Injectable()
export class AuctionFiguresService {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  /** Auctions taking bids now. */
  runningCount(): Promise<number> {
    return this.txHost.tx.getRepository(Auction).count({ where: { status: AuctionStatus.Open } });
  }
}
