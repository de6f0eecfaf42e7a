import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The IP-number index of the risk context's contract copies is read by every screening (the
 * double-sale rule's contracts on the same numbers) and written once per application. With GIN's
 * fast update, each new number waits in a pending list that every read scans in full until vacuum
 * merges it; written straight into the index, a read is a lookup.
 */
export class RiskIpIndexDirect1764000066000 implements MigrationInterface {
  name = 'RiskIpIndexDirect1764000066000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER INDEX risk_contract_ip_idx SET (fastupdate = off)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER INDEX risk_contract_ip_idx RESET (fastupdate)`);
  }
}
