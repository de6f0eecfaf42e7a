import { Injectable } from '@nestjs/common';
import { IdempotencyErrors, isIdempotencyKey } from '@market/http';
import type { Actor } from '@market/identity';
import { AuctionsService } from '../auctions.service';
import { AuctionKind } from '../domain/auction-state';
import type { BidAcceptedView, SealedBidPlacedView } from '../dto/auction.dto';
import { BidBatcher } from './bid-batcher';
import { SealedBidsService } from './sealed-bids.service';

/** A bid's answer, and whether it is the answer to an earlier request with the same key (nothing placed now). */
export interface PlacedBid {
  body: BidAcceptedView | SealedBidPlacedView;
  replayed: boolean;
}

/**
 * One bid, whatever the auction's kind. English: decided in a round with the others waiting,
 * written in one statement (BidBatcher). Sealed: the buyer's one bid, placed or revised
 * (SealedBidsService). Bids keep their own memory of Idempotency-Keys, under the one rule of
 * every route: a key is refused, never cut or mangled.
 */
@Injectable()
export class BiddingService {
  constructor(
    private readonly auctions: AuctionsService,
    private readonly batcher: BidBatcher,
    private readonly sealed: SealedBidsService,
  ) {}

  async place(actor: Actor, auctionId: string, amountFen: number, idempotencyKey?: string): Promise<PlacedBid> {
    if (idempotencyKey !== undefined && !isIdempotencyKey(idempotencyKey)) throw IdempotencyErrors.badKey();
    if ((await this.auctions.kindOf(auctionId)) === AuctionKind.Sealed) {
      const { replayed, ...body } = await this.sealed.place(actor, auctionId, amountFen, idempotencyKey);
      return { body, replayed };
    }
    const { replayed, ...body } = await this.batcher.submit(auctionId, {
      bidderOrganizationId: actor.organizationId,
      bidderUserId: actor.userId,
      amountFen,
      idempotencyKey,
    });
    return { body, replayed };
  }
}
