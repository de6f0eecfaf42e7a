import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems, HandlesOwnIdempotency, PageQuery } from '@market/http';
import { Actor, CurrentActor, Role, Roles } from '@market/identity';
import { AuctionsService } from '../auctions.service';
import { BiddingService } from '../bidding/bidding.service';
import { BidAcceptedView, BidInput, BidPage, SealedBidPlacedView } from '../dto/auction.dto';

const Id = () => new ParseUUIDPipe();

/**
 * Bids, the market's busiest route. A controller of their own because bids remember their
 * Idempotency-Keys inside the batch that decides them: no interceptor runs on these routes,
 * which spares every bid Nest's interceptor chain.
 */
@ApiTags('auctions')
@ApiExtraModels(BidAcceptedView, SealedBidPlacedView)
@HandlesOwnIdempotency()
@Controller('auctions')
export class BidsController {
  constructor(
    private readonly auctions: AuctionsService,
    private readonly bidding: BiddingService,
  ) {}

  /**
   * English: the bid is decided in a round with the others waiting, written in one statement (see
   * BidBatcher). Sealed: your one bid, placed or revised. A retry with the same Idempotency-Key
   * and amount returns the first answer and places nothing; the same key with another amount is a 422.
   */
  @Roles(Role.Buyer)
  @Post(':id/bids')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'A retry with the same key and amount gets the first answer back and places nothing; another amount is a 422',
    schema: { type: 'string', minLength: 1, maxLength: 255 },
  })
  @ApiOperation({ summary: 'Bid' })
  @ApiCreatedResponse({
    description: 'English: the accepted bid and the auction after it; sealed: your bid as it now stands',
    schema: { oneOf: [{ $ref: getSchemaPath(BidAcceptedView) }, { $ref: getSchemaPath(SealedBidPlacedView) }] },
  })
  @ApiProblems(
    [403, 'Your own listing, or an auction restricted to other buyers (AUCTION.OWN_LISTING, AUCTION.NOT_INVITED)'],
    [409, 'Not open, or past its end (AUCTION.NOT_OPEN, AUCTION.CLOSED)'],
    [
      422,
      'No deposit held, below the current price plus the increment (with `minimumFen`), or the key reused for another bid (AUCTION.NO_DEPOSIT, AUCTION.TOO_LOW, IDEMPOTENCY.KEY_REUSED)',
    ],
  )
  async bid(
    @Param('id', Id()) id: string,
    @CurrentActor() actor: Actor,
    @Body() input: BidInput,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BidAcceptedView | SealedBidPlacedView> {
    const { body, replayed } = await this.bidding.place(actor, id, input.amountFen, idempotencyKey);
    if (replayed) void reply.header('idempotent-replayed', 'true');
    return body;
  }

  @Get(':id/bids')
  @ApiOperation({ summary: 'Accepted bids (English); sealed bids only after the close, your own before; paged' })
  @ApiOkResponse({ type: BidPage })
  bids(@Param('id', Id()) id: string, @CurrentActor() actor: Actor, @Query() page: PageQuery): Promise<BidPage> {
    return this.auctions.bids(actor, id, page);
  }
}
