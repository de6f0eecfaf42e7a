import { Body, Controller, Get, MessageEvent, Param, ParseUUIDPipe, Post, Query, Sse, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { IdempotentPosts } from '@market/http';
import { Actor, CurrentActor, Public, Role, Roles } from '@market/identity';
import { DepositOpening } from '@market/payments';
import { AuctionsService } from '../auctions.service';
import { AuctionPage, AuctionQuery, AuctionView, CreateAuctionInput, DepositInput } from '../dto/auction.dto';
import { AuctionEventsService } from '../live/auction-events.service';
import { AuctionExistsGuard } from './auction-exists.guard';

const Id = () => new ParseUUIDPipe();

/** Auctions, deposits and the live view; bids have their own controller (`BidsController`). */
@ApiTags('auctions')
@ApiBearerAuth()
@IdempotentPosts()
@Controller('auctions')
export class AuctionsController {
  constructor(
    private readonly auctions: AuctionsService,
    private readonly events: AuctionEventsService,
  ) {}

  @Roles(Role.Seller, Role.Admin)
  @Post()
  @ApiOperation({ summary: 'Auction an open auction-mode listing (English or sealed-bid)' })
  create(@CurrentActor() actor: Actor, @Body() input: CreateAuctionInput): Promise<AuctionView> {
    return this.auctions.create(actor, input);
  }

  @Public()
  @Get()
  @ApiOperation({ summary: 'Find auctions: by status, kind, listing and technical field; newest start first, paged' })
  list(@Query() query: AuctionQuery, @CurrentActor() actor: Actor | undefined): Promise<AuctionPage> {
    return this.auctions.list(actor, query);
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

  @Public()
  @UseGuards(AuctionExistsGuard) // an unknown auction is a 404, before any event-stream header is sent
  @Sse(':id/events')
  @ApiOperation({ summary: 'Server-sent events: accepted bids, extensions, open, close, settlement' })
  stream(@Param('id', Id()) id: string): Observable<MessageEvent> {
    return this.events.stream(id);
  }
}
