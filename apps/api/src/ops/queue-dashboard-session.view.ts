import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** The answer to opening the queue dashboard; the session itself is the cookie set with it. */
@ApiSchema({ name: 'QueueDashboardSession' })
export class QueueDashboardSessionView {
  @ApiProperty({ example: '/admin/queues/', description: 'Where the dashboard opens' }) url: string;
  @ApiProperty({ type: 'integer', example: 900, description: 'Seconds the cookie lasts' }) expiresIn: number;
}
