import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobDispatcher } from './job-dispatcher';
import { OutboxRelay } from './outbox-relay';
import { QueueWorkers } from './queue-workers';

/** The consuming side, for the worker app: the outbox relay, the dispatcher and the workers. */
@Module({
  imports: [DiscoveryModule],
  providers: [JobDispatcher, OutboxRelay, QueueWorkers],
  exports: [JobDispatcher, OutboxRelay],
})
export class QueueConsumerModule {}
