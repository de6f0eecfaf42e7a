import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Housekeeping } from './housekeeping';
import { JobDispatcher } from './job-dispatcher';
import { OutboxRelay } from './outbox-relay';
import { QueueWorkers } from './queue-workers';

/** The consuming side, for the worker app: the outbox relay, the dispatcher, the workers, housekeeping. */
@Module({
  imports: [DiscoveryModule],
  providers: [JobDispatcher, OutboxRelay, QueueWorkers, Housekeeping],
  exports: [JobDispatcher, OutboxRelay, Housekeeping],
})
export class QueueConsumerModule {}
