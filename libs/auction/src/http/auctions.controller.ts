import { Body, Controller, Get, Headers, MessageEvent, Param, ParseUUIDPipe, Post, Res, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Observable } from 'rxjs';
import { HandlesOwnIdempotency } from '@market/http';
import { Actor, CurrentActor, Public, Role, Roles } from '@market/identity';
import { DepositOpening } from '@market/payments';
import { AuctionsService } from '../auctions.service';
import { BidBatcher } from '../bidding/bid-batcher';
import { SealedBidsService } from '../bidding/sealed-bids.service';
import { AuctionKind } from '../domain/auction-state';
import { AuctionView, BidInput, BidView, CreateAuctionInput, DepositInput } from '../dto/auction.dto';
import { AuctionEventsService } from '../live/auction-events.service';

const Id = () => new ParseUUIDPipe();

@ApiTags('auctions')
@ApiBearerAuth()
@Controller('auctions')
export class AuctionsController {
  constructor(
    private readonly auctions: AuctionsService,
    private readonly batcher: BidBatcher,
    private readonly sealed: SealedBidsService,
    private readonly events: AuctionEventsService,
  ) {}

  @Roles(Role.Seller, Role.Admin)
  @Post()
  @ApiOperation({ summary: 'Auction an open auction-mode listing (English or sealed-bid)' })
  create(@CurrentActor() actor: Actor, @Body() input: CreateAuctionInput): Promise<AuctionView> {
    return this.auctions.create(actor, input);
  }

  @Public()
  @Get(':id')
  get(@Param('id', Id()) id: string, @CurrentActor() actor: Actor | undefined): Promise<AuctionView> {
    return this.auctions.view(actor, id);
  }

  @Roles(Role.Buyer)
  @Post(':id/deposits')
  @ApiOperation({ summary: 'Ask to hold your deposit (保证金): a card hold, or bank-transfer instructions' })
  deposit(
    @Param('id', Id()) id: string,
    @CurrentActor() actor: Actor,
    @Body() input: DepositInput,
  ): Promise<DepositOpening> {
    return this.auctions.requestDeposit(actor, id, input.method);
  }

  /**
   * English: the bid is decided with others for the same auction in one short transaction (see
   * BidBatcher). Sealed: your one bid, placed or revised. A retry with the same Idempotency-Key
   * returns the first decision and places nothing.
   */
  @Roles(Role.Buyer)
  @Post(':id/bids')
  @HandlesOwnIdempotency()
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOperation({ summary: 'Bid' })
  async bid(
    @Param('id', Id()) id: string,
    @CurrentActor() actor: Actor,
    @Body() input: BidInput,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if ((await this.auctions.kindOf(id)) === AuctionKind.Sealed) return this.sealed.place(actor, id, input.amountFen);
    const result = await this.batcher.submit(id, {
      bidderOrganizationId: actor.organizationId,
      bidderUserId: actor.userId,
      amountFen: input.amountFen,
      idempotencyKey: idempotencyKey?.slice(0, 255),
    });
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return { bid: result.bid, auction: result.auction };
  }

  @Get(':id/bids')
  @ApiOperation({ summary: 'Accepted bids (English); sealed bids only after the close, your own before' })
  bids(@Param('id', Id()) id: string, @CurrentActor() actor: Actor): Promise<BidView[]> {
    return this.auctions.bids(actor, id);
  }

  @Public()
  @Sse(':id/events')
  @ApiOperation({ summary: 'Server-sent events: accepted bids, extensions, open, close, settlement' })
  stream(@Param('id', Id()) id: string): Observable<MessageEvent> {
    return this.events.stream(id);
  }
}
