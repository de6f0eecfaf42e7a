import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Clock } from '@market/clock';
import type { Actor } from '@market/identity';
import { DepositsService } from '@market/payments';
import { AuctionErrors } from '../auction.errors';
import { AuctionKind, AuctionStatus } from '../domain/auction-state';
import { Auction } from '../entities/auction.entity';

/**
 * First-price sealed bids: one per buyer organization, revisable until the close. The auction row
 * is read with a share lock, so a bid and the close (which locks the row for update) never cross.
 */
@Injectable()
export class SealedBidsService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly deposits: DepositsService,
    private readonly clock: Clock,
  ) {}

  async place(actor: Actor, auctionId: string, amountFen: number): Promise<{ amountFen: number; revision: number }> {
    return this.txHost.withTransaction(async () => {
      const auction = await this.txHost.tx
        .getRepository(Auction)
        .findOne({ where: { id: auctionId }, lock: { mode: 'pessimistic_read' } });
      if (!auction || auction.kind !== AuctionKind.Sealed) throw AuctionErrors.notFound(auctionId);
      const minimum = auction.startingPriceFen;
      if (auction.status !== AuctionStatus.Open) throw AuctionErrors.bidRefused('NOT_OPEN', minimum);
      const now = this.clock.now();
      if (now.getTime() >= auction.endsAt.getTime()) throw AuctionErrors.bidRefused('CLOSED', minimum);
      if (auction.sellerOrganizationId === actor.organizationId) throw AuctionErrors.bidRefused('OWN_LISTING', minimum);
      if (auction.allowedBuyerOrganizationIds && !auction.allowedBuyerOrganizationIds.includes(actor.organizationId)) {
        throw AuctionErrors.bidRefused('NOT_INVITED', minimum);
      }
      if (!(await this.deposits.isHeld(auctionId, actor.organizationId)))
        throw AuctionErrors.bidRefused('NO_DEPOSIT', minimum);
      if (amountFen < minimum) throw AuctionErrors.bidRefused('TOO_LOW', minimum);
      let [row] = (await this.txHost.tx.query(
        `INSERT INTO sealed_bid (auction_id, bidder_organization_id, bidder_user_id, amount_fen, first_placed_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (auction_id, bidder_organization_id)
         DO UPDATE SET amount_fen = EXCLUDED.amount_fen, bidder_user_id = EXCLUDED.bidder_user_id,
                       revision = sealed_bid.revision + 1, updated_at = now()
           -- Placing the same amount again (a retry) changes nothing.
           WHERE sealed_bid.amount_fen <> EXCLUDED.amount_fen
         RETURNING amount_fen, revision`,
        [auctionId, actor.organizationId, actor.userId, amountFen, now],
      )) as { amount_fen: string; revision: number }[];
      // No row back: the same amount was already placed; answer with the bid as it stands.
      row ??= (
        (await this.txHost.tx.query(
          `SELECT amount_fen, revision FROM sealed_bid WHERE auction_id = $1 AND bidder_organization_id = $2`,
          [auctionId, actor.organizationId],
        )) as { amount_fen: string; revision: number }[]
      )[0];
      return { amountFen: Number(row.amount_fen), revision: row.revision };
    });
  }
}
