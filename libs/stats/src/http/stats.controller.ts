import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { IdempotentPosts } from '@market/http';
import { Public } from '@market/identity';
import { ContractStatsQuery, ContractStatsView } from '../dto/stats.dto';
import { StatsQueryService } from '../stats-query.service';

/** The market's public figures of registered contracts. */
@ApiTags('stats')
@IdempotentPosts()
@Controller('stats')
export class StatsController {
  constructor(private readonly stats: StatsQueryService) {}

  @Public()
  @Get('contracts')
  @ApiOperation({
    summary:
      'Registered contracts: count, 成交额 and 技术交易额 by a breakdown and/or month, over any range of days (public)',
  })
  @ApiOkResponse({ type: ContractStatsView })
  contracts(@Query() query: ContractStatsQuery): Promise<ContractStatsView> {
    return this.stats.contracts(query);
  }

  @Public()
  @Get('contracts.csv')
  @ApiOperation({ summary: 'The same figures as CSV, UTF-8 with a BOM for spreadsheet programs (public)' })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description:
      'One line per row of GET /stats/contracts: month, key, label, contracts, totalAmountFen, technologyAmountFen',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  async contractsCsv(@Query() query: ContractStatsQuery): Promise<StreamableFile> {
    const view = await this.stats.contracts(query);
    return new StreamableFile(Buffer.from(this.stats.csv(view), 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="contract-stats-${view.from}-${view.to}.csv"`,
    });
  }
}
