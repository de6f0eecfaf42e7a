import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { JobName, JobPayloads } from './jobs';
import { OutboxEvent } from './outbox-event.entity';

/** Records a job in the outbox inside the caller's transaction; the relay delivers it after commit. */
@Injectable()
export class Outbox {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  async add<N extends JobName>(name: N, payload: JobPayloads[N], options: { runAt?: Date } = {}): Promise<string> {
    if (!this.txHost.isTransactionActive()) {
      // Without a transaction the change and its event could be split by a crash.
      throw new Error(`Outbox.add(${name}) must run inside a transaction`);
    }
    const row = await this.txHost.tx.getRepository(OutboxEvent).save({
      jobName: name,
      payload: payload as unknown as Record<string, unknown>,
      runAt: options.runAt ?? new Date(),
      publishedAt: null,
    });
    return row.id;
  }
}
