import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@market/config';
import { DeadJob } from './dead-job.entity';
import { ALL_QUEUES } from './jobs';
import { OutboxEvent } from './outbox-event.entity';
import { Outbox } from './outbox.service';
import { PostCommit } from './post-commit';
import { ProcessedJob } from './processed-job.entity';
import { queueDefaults } from './queue-defaults';
import { RedisWatch } from './redis-watch';

/**
 * The producing side of the queues: the outbox that services write to, and the BullMQ queues
 * that the relay and the dashboard use. Consumers live in the worker (QueueConsumerModule).
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forFeature([OutboxEvent, ProcessedJob, DeadJob]),
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => queueDefaults(config).producer,
    }),
    BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
  ],
  providers: [Outbox, PostCommit, RedisWatch],
  exports: [Outbox, PostCommit, RedisWatch, BullModule],
})
export class QueueModule {}
