import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { deadlineStatus } from './deadline';
import { deadlineKeyOf, JobName, JobPayloads } from './jobs';
import { OutboxEvent } from './outbox-event.entity';

/** Records a job in the outbox inside the caller's transaction; the relay delivers it after commit. */
@Injectable()
export class Outbox {
  private readonly logger = new Logger(Outbox.name);

  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  async add<N extends JobName>(name: N, payload: JobPayloads[N], options: { runAt?: Date } = {}): Promise<string> {
    if (!this.txHost.isTransactionActive()) {
      // Without a transaction the change and its event could be split by a crash.
      throw new Error(`Outbox.add(${name}) must run inside a transaction`);
    }
    const deadlineKey = deadlineKeyOf(name, payload);
    const row = await this.txHost.tx.getRepository(OutboxEvent).save({
      jobName: name,
      payload: payload as unknown as Record<string, unknown>,
      runAt: options.runAt ?? new Date(),
      publishedAt: null,
      deadlineKey,
      supersededAt: null,
    });
    if (deadlineKey) {
      // The deadline moved: older rows of the same deadline no longer hold. Their jobs, if already
      // in Redis, still run and find the deadline moved; but they are never published or re-added.
      await this.txHost.tx.query(
        `UPDATE outbox_event SET superseded_at = now()
          WHERE deadline_key = $1 AND superseded_at IS NULL AND id <> $2`,
        [deadlineKey, row.id],
      );
    }
    return row.id;
  }

  /**
   * For a delayed job that has just run: whether the deadline it was scheduled for is reached.
   * Not when the deadline in the database moved or went (`scheduledFor` differs: a newer job
   * carries it), nor when the job fired before it (clock skew): then it is scheduled again for
   * the deadline, inside the caller's transaction.
   */
  async deadlineReached<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    deadline: Date | null,
    scheduledFor: string,
    now: Date,
  ): Promise<boolean> {
    const due = deadlineStatus(deadline, scheduledFor, now);
    if (due === 'early') {
      this.logger.warn({ job: name, payload }, 'job fired before its deadline; rescheduled');
      await this.add(name, payload, { runAt: deadline! });
    }
    return due === 'due';
  }
}
