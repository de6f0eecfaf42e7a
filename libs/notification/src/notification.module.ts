import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@market/identity';
import { Notification } from './notification.entity';
import { NotificationsService } from './notifications.service';

/** Users' inboxes, filled by jobs from other contexts. */
@Module({
  imports: [TypeOrmModule.forFeature([Notification]), IdentityModule],
  providers: [NotificationsService],
  exports: [NotificationsService],
})
export class NotificationModule {}
