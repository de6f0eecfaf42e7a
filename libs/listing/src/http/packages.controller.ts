import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdempotentPosts } from '@market/http';
import { Actor, CurrentActor, Public, Role, Roles } from '@market/identity';
import { PackageInput, PackageQuery, PackageSummaryView, PackageView } from '../dto/trading.dto';
import { PackagesService } from '../packages.service';

@ApiTags('packages')
@ApiBearerAuth()
@IdempotentPosts()
@Controller('packages')
export class PackagesController {
  constructor(private readonly packages: PackagesService) {}

  @Roles(Role.Admin)
  @Post()
  @ApiOperation({ summary: 'Publish an achievement package (科技成果包) of public listings' })
  publish(@CurrentActor() actor: Actor, @Body() input: PackageInput): Promise<PackageView> {
    return this.packages.publish(actor, input);
  }

  @Public()
  @Get()
  @ApiOperation({ summary: 'Achievement packages, newest issue first' })
  list(@Query() query: PackageQuery): Promise<{ total: number; items: PackageSummaryView[] }> {
    return this.packages.list(query);
  }

  @Public()
  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<PackageView> {
    return this.packages.get(id);
  }
}
