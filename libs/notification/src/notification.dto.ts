import { ApiProperty } from '@nestjs/swagger';

export class NotificationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'organization.verified' }) kind: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What the notification is about, by kind' })
  data: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readAt: string | null;
}

export class NotificationPage {
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: NotificationView, isArray: true }) items: NotificationView[];
}
