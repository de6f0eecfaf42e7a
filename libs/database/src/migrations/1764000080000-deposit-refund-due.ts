import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A payment taken for something that no longer asks for it (a contract milestone a registered change
 * called off, or a contract that ended) is owed back: the moment that was found is kept on the
 * deposit, for the operator's finance to pay it back.
 */
export class DepositRefundDue1764000080000 implements MigrationInterface {
  name = 'DepositRefundDue1764000080000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deposit ADD COLUMN refund_due_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deposit DROP COLUMN refund_due_at`);
  }
}
