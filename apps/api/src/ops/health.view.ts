import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';

@ApiSchema({ name: 'HealthIndicator' })
export class HealthIndicatorView {
  @ApiProperty({ enum: ['up', 'down'] }) status: 'up' | 'down';
  @ApiPropertyOptional({ type: 'integer', description: 'Milliseconds the database took to answer' })
  responseTime?: number;
  @ApiPropertyOptional({ description: 'Why a dependency is down' }) message?: string;
}

const byDependency = {
  type: 'object',
  additionalProperties: { $ref: getSchemaPath(HealthIndicatorView) },
  example: { database: { status: 'up' }, redis: { status: 'up' } },
} as const;

/** Terminus's health report: the same body for 200 (all up) and 503 (one down). */
@ApiSchema({ name: 'Health' })
@ApiExtraModels(HealthIndicatorView)
export class HealthView {
  @ApiProperty({ enum: ['ok', 'error'] }) status: 'ok' | 'error';
  @ApiPropertyOptional({ ...byDependency, description: 'Dependencies that are up' }) info?: object;
  @ApiPropertyOptional({ ...byDependency, description: 'Dependencies that are down' }) error?: object;
  @ApiProperty({ ...byDependency, description: 'Every dependency' }) details: object;
}
