import { Module } from '@nestjs/common';
import { AuctionFiguresService } from './auction-figures.service';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@market/identity';
import { ListingModule } from '@market/listing';
import { PaymentsModule } from '@market/payments';
import { AuctionsService } from './auctions.service';
import { BidBatcher } from './bidding/bid-batcher';
import { BiddingService } from './bidding/bidding.service';
import { SealedBidsService } from './bidding/sealed-bids.service';
import { AuctionBid } from './entities/auction-bid.entity';
import { Auction } from './entities/auction.entity';
import { SealedBid } from './entities/sealed-bid.entity';
import { AuctionEventsService } from './live/auction-events.service';

/** English and sealed-bid auctions with deposits, live events and exactly-once settlement. */
@Module({
  imports: [TypeOrmModule.forFeature([Auction, AuctionBid, SealedBid]), IdentityModule, ListingModule, PaymentsModule],
  providers: [
    AuctionsService,
    BidBatcher,
    BiddingService,
    SealedBidsService,
    AuctionEventsService,
    AuctionFiguresService,
  ],
  exports: [
    AuctionsService,
    BidBatcher,
    BiddingService,
    SealedBidsService,
    AuctionEventsService,
    AuctionFiguresService,
  ],
})
export class AuctionModule {}
