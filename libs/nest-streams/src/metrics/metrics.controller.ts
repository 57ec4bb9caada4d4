import { Controller, Get, Header, Inject, Query } from '@nestjs/common';
import { Registry } from 'prom-client';
import { rejectUnknownQuery, type RawQuery } from '../http/query-parameters';
import { METRICS_REGISTRY } from '../module/tokens';

/** `GET /metrics`: the service registry in Prometheus text format. */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  metrics(@Query() raw: RawQuery = {}): Promise<string> {
    rejectUnknownQuery(raw, []);
    return this.registry.metrics();
  }
}
