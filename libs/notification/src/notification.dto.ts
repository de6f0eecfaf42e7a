import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class NotificationView {
  @ApiProperty() id: string;
  @ApiProperty() kind: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: Object }) data: Record<string, unknown>;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ type: String, nullable: true }) readAt: string | null;
}

export class NotificationPage {
  @ApiProperty() total: number;
  @ApiProperty({ type: NotificationView, isArray: true }) items: NotificationView[];
}
