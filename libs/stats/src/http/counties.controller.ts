import { Body, Controller, Delete, Get, Param, Patch, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems, IdempotentPosts } from '@market/http';
import { Actor, CurrentActor, Public, Role, Roles } from '@market/identity';
import { Clock } from '@market/clock';
import { CountiesService } from '../counties.service';
import { CountyReportPdf } from '../county-report-pdf.service';
import {
  CountyDesignationInput,
  CountyDesignationUpdate,
  CountyReportView,
  CountyView,
  RankingQuery,
  RankingView,
  YearQuery,
} from '../dto/counties.dto';

const NOT_DESIGNATED: [number, string] = [
  404,
  'No demonstration county has this code (DEMONSTRATION_COUNTY.NOT_FOUND)',
];
const shanghaiToday = (now: Date) => new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** Demonstration counties (示范县): designation (admins), annual reports (admins and auditors), the ranking (public). */
@ApiTags('stats')
@IdempotentPosts()
@Controller('stats/counties')
export class CountiesController {
  constructor(
    private readonly counties: CountiesService,
    private readonly pdf: CountyReportPdf,
    private readonly clock: Clock,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'The demonstration counties, their construction periods and featured industries (public)' })
  @ApiOkResponse({ type: CountyView, isArray: true })
  list(): Promise<CountyView[]> {
    return this.counties.list();
  }

  @Public()
  @Get('ranking')
  @ApiOperation({
    summary: 'The province’s demonstration counties ranked by 技术交易额, output plus absorption, with growth (public)',
  })
  @ApiOkResponse({ type: RankingView })
  ranking(@Query() query: RankingQuery): Promise<RankingView> {
    return this.counties.ranking(query.year, query.province);
  }

  @Roles(Role.Admin)
  @Post()
  @ApiOperation({
    summary: 'Designate a demonstration county: code, three-year construction period, featured industries (admin)',
  })
  @ApiCreatedResponse({ type: CountyView })
  @ApiProblems([409, 'Already a demonstration county (STATS.COUNTY_DESIGNATED)'])
  designate(@CurrentActor() actor: Actor, @Body() input: CountyDesignationInput): Promise<CountyView> {
    return this.counties.designate(actor, input);
  }

  @Roles(Role.Admin)
  @Patch(':regionCode')
  @ApiOperation({ summary: 'Change a designation’s name, construction period or featured industries (admin)' })
  @ApiOkResponse({ type: CountyView })
  @ApiProblems(NOT_DESIGNATED)
  update(
    @CurrentActor() actor: Actor,
    @Param('regionCode') regionCode: string,
    @Body() input: CountyDesignationUpdate,
  ): Promise<CountyView> {
    return this.counties.update(actor, regionCode, input);
  }

  @Roles(Role.Admin)
  @Delete(':regionCode')
  @ApiOperation({ summary: 'Withdraw a designation (撤销, admin); answers the designation withdrawn' })
  @ApiOkResponse({ type: CountyView })
  @ApiProblems(NOT_DESIGNATED)
  withdraw(@CurrentActor() actor: Actor, @Param('regionCode') regionCode: string): Promise<CountyView> {
    return this.counties.withdraw(actor, regionCode);
  }

  @Roles(Role.Admin, Role.Auditor)
  @Get(':regionCode/report')
  @ApiOperation({ summary: 'A demonstration county’s annual report figures (admins and registry auditors)' })
  @ApiOkResponse({ type: CountyReportView })
  @ApiProblems(NOT_DESIGNATED)
  report(@Param('regionCode') regionCode: string, @Query() query: YearQuery): Promise<CountyReportView> {
    return this.counties.report(regionCode, query.year);
  }

  @Roles(Role.Admin, Role.Auditor)
  @Get(':regionCode/report.csv')
  @ApiOperation({ summary: 'The annual report as CSV, UTF-8 with a BOM (admins and registry auditors)' })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'section,key,label,contracts,totalAmountFen,technologyAmountFen,detail',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  @ApiProblems(NOT_DESIGNATED)
  async reportCsv(@Param('regionCode') regionCode: string, @Query() query: YearQuery): Promise<StreamableFile> {
    const report = await this.counties.report(regionCode, query.year);
    return new StreamableFile(Buffer.from(this.counties.reportCsv(report), 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="county-report-${regionCode}-${report.year}.csv"`,
    });
  }

  @Roles(Role.Admin, Role.Auditor)
  @Get(':regionCode/report.pdf')
  @ApiOperation({ summary: 'The annual report as a printable PDF (admins and registry auditors)' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({
    description: 'The report (示范县年度建设情况 · 技术市场数据)',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiProblems(NOT_DESIGNATED)
  async reportPdf(@Param('regionCode') regionCode: string, @Query() query: YearQuery): Promise<StreamableFile> {
    const report = await this.counties.report(regionCode, query.year);
    const pdf = await this.pdf.render(report, shanghaiToday(this.clock.now()));
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `inline; filename="county-report-${regionCode}-${report.year}.pdf"`,
    });
  }
}
