import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from '@market/identity';
import { PageQuery } from '@market/http';
import { NotificationPage } from './notification.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('me')
@Controller('me/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: 'Your inbox, newest first' })
  @ApiOkResponse({ type: NotificationPage })
  inbox(@CurrentActor() actor: Actor, @Query() page: PageQuery): Promise<NotificationPage> {
    return this.notifications.inbox(actor.userId, page);
  }
}
