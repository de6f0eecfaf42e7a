import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from '@market/identity';
import { PageQuery } from '@market/http';
import { NotificationPage } from './notification.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  inbox(@CurrentActor() actor: Actor, @Query() page: PageQuery): Promise<NotificationPage> {
    return this.notifications.inbox(actor.userId, page);
  }
}
