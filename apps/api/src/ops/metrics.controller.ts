import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import { Public } from '@market/identity';

/** Prometheus scrape endpoint; public like health, to be kept off the internet by the proxy. */
@ApiExcludeController()
@Controller()
export class MetricsController extends PrometheusController {
  @Public()
  @Get()
  override index(@Res({ passthrough: true }) response: unknown) {
    return super.index(response);
  }
}
