export * from './notification.dto';
export * from './notification.entity';
export * from './notification.module';
export * from './notifications.controller';
export * from './notifications.service';
