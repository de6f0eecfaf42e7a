import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Registration (认定登记): registry offices and the regions they cover, applications, the
 * per-year-and-point serial counters, the working-day calendar (seeded with 2026 from
 * 国务院办公厅关于2026年部分节假日安排的通知), and the audit log's hash chains.
 */
export class Registration1764000030001 implements MigrationInterface {
  name = 'Registration1764000030001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE registry_office (
        organization_id uuid PRIMARY KEY,
        region_code char(6) NOT NULL,
        registration_point char(2) NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE registry_office_region (
        region_code char(6) PRIMARY KEY,
        organization_id uuid NOT NULL
      )`);
    await q.query(`CREATE INDEX registry_office_region_office_idx ON registry_office_region (organization_id)`);
    await q.query(`
      CREATE TABLE contract_registration (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        contract_id uuid NOT NULL,
        contract_version int NOT NULL,
        kind text NOT NULL,
        office_id uuid NOT NULL,
        status text NOT NULL,
        submitted_by uuid NOT NULL,
        accepted_on date NOT NULL,
        deadline_on date,
        working_days int NOT NULL,
        technology_amount_fen bigint NOT NULL,
        disputed_reason text,
        screening jsonb,
        screened_at timestamptz,
        documents_requested text,
        grounds text[] NOT NULL DEFAULT '{}',
        decision_reason text,
        decided_by uuid,
        decided_at timestamptz,
        registration_number text,
        objection_reason text,
        objected_at timestamptz,
        objection_outcome text,
        objection_ruled_by uuid,
        objection_ruling_reason text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX contract_registration_contract_idx ON contract_registration (contract_id)`);
    await q.query(`CREATE UNIQUE INDEX contract_registration_number_uq ON contract_registration (registration_number)`);
    // An office's queue: its open applications by deadline, and refused ones with an objection to rule on.
    await q.query(
      `CREATE INDEX contract_registration_queue_idx ON contract_registration (office_id, deadline_on, created_at)
        WHERE status IN ('screening', 'under_review', 'documents_requested')
           OR (objected_at IS NOT NULL AND objection_outcome IS NULL)`,
    );
    await q.query(`
      CREATE TABLE registration_counter (
        year int NOT NULL,
        point_code char(6) NOT NULL,
        last_serial int NOT NULL,
        PRIMARY KEY (year, point_code)
      )`);
    await q.query(`CREATE TABLE working_calendar_year (year int PRIMARY KEY, source text NOT NULL)`);
    await q.query(`CREATE TABLE working_calendar_day (day date PRIMARY KEY, kind text NOT NULL, name text NOT NULL)`);
    await q.query(
      `INSERT INTO working_calendar_year (year, source) VALUES (2026, '国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04)')`,
    );
    const holidays: [string, string, string][] = [
      ['2026-01-01', '2026-01-03', '元旦'],
      ['2026-02-15', '2026-02-23', '春节'],
      ['2026-04-04', '2026-04-06', '清明节'],
      ['2026-05-01', '2026-05-05', '劳动节'],
      ['2026-06-19', '2026-06-21', '端午节'],
      ['2026-09-25', '2026-09-27', '中秋节'],
      ['2026-10-01', '2026-10-07', '国庆节'],
    ];
    for (const [from, to, name] of holidays) {
      await q.query(
        `INSERT INTO working_calendar_day (day, kind, name)
         SELECT d::date, 'holiday', $3 FROM generate_series($1::date, $2::date, interval '1 day') d`,
        [from, to, name],
      );
    }
    const workdays: [string, string][] = [
      ['2026-01-04', '元旦调休上班'],
      ['2026-02-14', '春节调休上班'],
      ['2026-02-28', '春节调休上班'],
      ['2026-05-09', '劳动节调休上班'],
      ['2026-09-20', '国庆节调休上班'],
      ['2026-10-10', '国庆节调休上班'],
    ];
    for (const [day, name] of workdays) {
      await q.query(`INSERT INTO working_calendar_day (day, kind, name) VALUES ($1, 'workday', $2)`, [day, name]);
    }
    await q.query(`
      CREATE TABLE audit_entry (
        chain text NOT NULL,
        seq int NOT NULL,
        at timestamptz NOT NULL,
        actor_id uuid,
        action text NOT NULL,
        reason text,
        detail jsonb NOT NULL,
        prev_hash text,
        hash text NOT NULL,
        PRIMARY KEY (chain, seq)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'audit_entry',
      'working_calendar_day',
      'working_calendar_year',
      'registration_counter',
      'contract_registration',
      'registry_office_region',
      'registry_office',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
