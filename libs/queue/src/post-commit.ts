import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { DataSource, EntitySubscriberInterface, QueryRunner } from 'typeorm';
import type { TransactionCommitEvent } from 'typeorm/subscriber/event/TransactionCommitEvent';
import type { TransactionRollbackEvent } from 'typeorm/subscriber/event/TransactionRollbackEvent';

/** How many transactions deep the runner is (1: the outermost; more: savepoints). Protected in TypeORM's typings. */
const depthOf = (runner: QueryRunner): number =>
  (runner as unknown as { transactionDepth?: number }).transactionDepth ?? 0;

interface Pending {
  /** The savepoint depth it was added at: a rollback to below it drops it. */
  depth: number;
  callback: () => void;
}

/**
 * Work that must wait until the current transaction has committed (telling live clients about
 * it): the callback runs once the transaction's outermost COMMIT has gone through, and never if
 * it rolls back. Whoever opened the transaction — a request boundary, a job, a service — the hook
 * is the transaction's own (TypeORM's commit and rollback events on its query runner).
 *
 * Outside a transaction there is no commit to wait for, and running the callback at once could
 * announce what a caller is about to roll back: that is a programming error, so `add` throws.
 */
@Injectable()
export class PostCommit implements OnModuleInit, EntitySubscriberInterface {
  private readonly logger = new Logger(PostCommit.name);
  private readonly pending = new WeakMap<QueryRunner, Pending[]>();

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    if (!this.dataSource.subscribers.includes(this)) this.dataSource.subscribers.push(this);
  }

  add(callback: () => void): void {
    const runner = this.txHost.isTransactionActive() ? this.txHost.tx.queryRunner : undefined;
    if (!runner?.isTransactionActive) {
      throw new Error('PostCommit.add must run inside a transaction: outside one, nothing says the work committed');
    }
    const list = this.pending.get(runner);
    const entry = { depth: depthOf(runner) || 1, callback };
    if (list) list.push(entry);
    else this.pending.set(runner, [entry]);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const runner = event.queryRunner;
    // A released savepoint is not a commit: its callbacks wait for the outermost one.
    if (runner.isTransactionActive) return;
    const list = this.pending.get(runner);
    if (!list) return;
    this.pending.delete(runner);
    for (const { callback } of list) {
      try {
        callback();
      } catch (error) {
        // The transaction has committed: a failing follow-up must not turn it into an error.
        this.logger.warn({ err: error }, 'a post-commit callback failed');
      }
    }
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    const runner = event.queryRunner;
    const list = this.pending.get(runner);
    if (!list) return;
    const depth = runner.isTransactionActive ? depthOf(runner) : 0;
    const kept = list.filter((entry) => entry.depth <= depth);
    if (kept.length > 0) this.pending.set(runner, kept);
    else this.pending.delete(runner);
  }
}
