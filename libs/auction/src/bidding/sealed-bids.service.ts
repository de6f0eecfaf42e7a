import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Clock } from '@market/clock';
import type { Actor } from '@market/identity';
import { DepositsService } from '@market/payments';
import { AuctionErrors } from '../auction.errors';
import { AuctionKind, AuctionStatus } from '../domain/auction-state';
import { Auction } from '../entities/auction.entity';

export interface PlacedSealedBid {
  amountFen: number;
  revision: number;
  /** The answer to an earlier request with the same Idempotency-Key, nothing placed now. */
  replayed: boolean;
}

/**
 * First-price sealed bids: one per buyer organization, revisable until the close. The auction row
 * is read with a share lock, so a bid and the close (which locks the row for update) never cross.
 *
 * An Idempotency-Key is remembered where every other route's is (`idempotency_key`, per user,
 * purged after IDEMPOTENCY_TTL_HOURS like the rest), claimed in the bid's transaction: a retry
 * waits for the first request to commit and then gets its answer, so a late retry of an earlier
 * bid can never overwrite a later revision. A refused bid rolls its key back, to be retried.
 */
@Injectable()
export class SealedBidsService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly deposits: DepositsService,
    private readonly clock: Clock,
  ) {}

  async place(actor: Actor, auctionId: string, amountFen: number, idempotencyKey?: string): Promise<PlacedSealedBid> {
    return this.txHost.withTransaction(async () => {
      const auction = await this.txHost.tx
        .getRepository(Auction)
        .findOne({ where: { id: auctionId }, lock: { mode: 'pessimistic_read' } });
      if (!auction || auction.kind !== AuctionKind.Sealed) throw AuctionErrors.notFound(auctionId);
      if (idempotencyKey !== undefined) {
        const first = await this.claimKey(actor, auctionId, amountFen, idempotencyKey);
        if (first) return { ...first, replayed: true };
      }
      const placed = await this.placeNow(actor, auction, amountFen);
      if (idempotencyKey !== undefined) {
        await this.txHost.tx.query(
          `UPDATE idempotency_key SET status_code = 201, response_body = $3 WHERE scope = $1 AND key = $2`,
          [actor.userId, idempotencyKey, JSON.stringify(placed)],
        );
      }
      return { ...placed, replayed: false };
    });
  }

  /**
   * Claims the key for this bid, or returns the answer of the request that claimed it first. The
   * request is the route and the amount (a body's only field), hashed as the generic store does.
   */
  private async claimKey(
    actor: Actor,
    auctionId: string,
    amountFen: number,
    key: string,
  ): Promise<{ amountFen: number; revision: number } | undefined> {
    const path = `/api/v1/auctions/${auctionId}/bids`;
    const requestHash = createHash('sha256')
      .update(`POST ${path}\n${JSON.stringify({ amountFen })}`)
      .digest('hex');
    const claimed = (await this.txHost.tx.query(
      `INSERT INTO idempotency_key (scope, key, request_hash, method, path) VALUES ($1, $2, $3, 'POST', $4)
       ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
      [actor.userId, key, requestHash, path],
    )) as unknown[];
    if (claimed.length > 0) return undefined;
    const [first] = (await this.txHost.tx.query(
      `SELECT request_hash, response_body FROM idempotency_key WHERE scope = $1 AND key = $2`,
      [actor.userId, key],
    )) as { request_hash: string; response_body: { amountFen: number; revision: number } }[];
    if (first.request_hash !== requestHash) throw AuctionErrors.keyReused();
    return first.response_body;
  }

  private async placeNow(
    actor: Actor,
    auction: Auction,
    amountFen: number,
  ): Promise<{ amountFen: number; revision: number }> {
    const auctionId = auction.id;
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
         -- Placing the same amount again (a retry without a key) changes nothing.
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
  }
}
