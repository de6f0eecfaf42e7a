import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AuctionFiguresService } from '@market/auction';
import { Clock } from '@market/clock';
import { Public } from '@market/identity';
import { ListingFiguresService } from '@market/listing';

export class MarketFiguresView {
  @ApiProperty({ type: 'integer', description: 'Listings announced (公示中) or open (交易中)' }) listingsOpen: number;
  @ApiProperty({ type: 'integer', description: 'Auctions taking bids now' }) auctionsRunning: number;
  @ApiProperty({ format: 'date-time' }) asOf: string;
}

/**
 * What is on offer now, for the market's home page: each context counts its own, nothing here reads
 * a table. Contract value is the statistics context's (`GET /stats/contracts`), not repeated here.
 */
@ApiTags('market')
@Controller('market')
export class MarketFiguresController {
  constructor(
    private readonly listings: ListingFiguresService,
    private readonly auctions: AuctionFiguresService,
    private readonly clock: Clock,
  ) {}

  @Public()
  @Get('figures')
  @ApiOperation({
    summary: 'Listings announced or open and auctions running, now (contract value: GET /stats/contracts)',
  })
  @ApiOkResponse({ type: MarketFiguresView })
  async figures(): Promise<MarketFiguresView> {
    const [listingsOpen, auctionsRunning] = await Promise.all([
      this.listings.publicCount(),
      this.auctions.runningCount(),
    ]);
    return { listingsOpen, auctionsRunning, asOf: this.clock.now().toISOString() };
  }
}
