import { Injectable, OnModuleInit } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { DataSource, EntitySubscriberInterface, InsertEvent, UpdateEvent } from 'typeorm';
import { preparedQuery } from '@market/database';
import { RegistrationKind, RegistrationStatus } from './domain/registration';
import { CalendarYear } from './domain/working-days';
import { ContractRegistration } from './entities/contract-registration.entity';
import { addWorkingDaysSql, calendarRowsSql, CalendarRow, toCalendars } from './working-calendar.service';

/** Which applications an office's queue holds: the open ones, and refusals with an objection to rule on. */
const IN_QUEUE = `(r.status IN ('screening', 'under_review', 'documents_requested')
                   OR (r.objected_at IS NOT NULL AND r.objection_outcome IS NULL))`;

/** The counting slot of an application (0–7, from its id): an office's count is spread over eight rows. */
const SLOT = (id: string) => `get_byte(uuid_send(${id}), 15) % 8`;

/**
 * The queue rows of these applications as they now stand: inserted or updated when the application
 * is in the queue, deleted when it has left, and the office's count moved by as many. The score is
 * the risk context's (`risk_score`), read when the application is written — screening writes it in
 * the same transaction as the application's move to review — and 0 for a cancellation, which is not
 * screened.
 */
const SYNC = `
  WITH now_in AS (
    SELECT r.id, r.office_id, r.contract_id, r.deadline_on, r.created_at,
           CASE WHEN r.kind <> 'cancellation' THEN coalesce(s.score, 0) ELSE 0 END AS score
      FROM contract_registration r
      LEFT JOIN risk_score s ON s.contract_id = r.contract_id
     WHERE r.id = ANY($1::uuid[]) AND ${IN_QUEUE}
  ), gone AS (
    DELETE FROM registration_queue_entry q
     WHERE q.registration_id = ANY($1::uuid[]) AND q.registration_id NOT IN (SELECT id FROM now_in)
    RETURNING q.registration_id, q.office_id
  ), put AS (
    INSERT INTO registration_queue_entry (registration_id, office_id, contract_id, deadline_on, score, created_at)
    SELECT id, office_id, contract_id, deadline_on, score, created_at FROM now_in
    ON CONFLICT (registration_id) DO UPDATE
       SET office_id = EXCLUDED.office_id, deadline_on = EXCLUDED.deadline_on, score = EXCLUDED.score
    RETURNING registration_id, office_id, xmax = 0 AS inserted
  ), moved AS (
    SELECT office_id, ${SLOT('registration_id')} AS slot, sum(delta)::int AS delta
      FROM (SELECT registration_id, office_id, -1 AS delta FROM gone
            UNION ALL SELECT registration_id, office_id, 1 FROM put WHERE inserted) d
     GROUP BY 1, 2
  )
  INSERT INTO registration_queue_count (office_id, slot, entries)
  SELECT office_id, slot, delta FROM moved WHERE delta <> 0 ORDER BY office_id, slot
  ON CONFLICT (office_id, slot) DO UPDATE SET entries = registration_queue_count.entries + EXCLUDED.entries`;

type Query = (sql: string, params?: unknown[]) => Promise<unknown>;

/** Brings the queue rows of these applications in step, over any connection (the caller's transaction). */
export async function syncRegistrationQueue(query: Query, registrationIds: string[]): Promise<void> {
  if (registrationIds.length > 0) await query(SYNC, [registrationIds]);
}

/**
 * Rebuilds every office's queue rows from the applications (for data written in SQL, as the demo
 * and the benchmark seed it). The market's own writes keep the rows in step one by one.
 */
export async function rebuildRegistrationQueue(query: Query): Promise<void> {
  await query(`DELETE FROM registration_queue_entry`);
  await query(`DELETE FROM registration_queue_count`);
  await query(
    `INSERT INTO registration_queue_entry (registration_id, office_id, contract_id, deadline_on, score, created_at)
     SELECT r.id, r.office_id, r.contract_id, r.deadline_on,
            CASE WHEN r.kind <> 'cancellation' THEN coalesce(s.score, 0) ELSE 0 END, r.created_at
       FROM contract_registration r
       LEFT JOIN risk_score s ON s.contract_id = r.contract_id
      WHERE ${IN_QUEUE}`,
  );
  await query(
    `INSERT INTO registration_queue_count (office_id, slot, entries)
     SELECT office_id, ${SLOT('registration_id')}, count(*) FROM registration_queue_entry GROUP BY 1, 2`,
  );
}

export interface QueuePageRow {
  id: string;
  contract_id: string;
  kind: RegistrationKind;
  status: RegistrationStatus;
  accepted_on: string;
  deadline_on: string | null;
  technology_amount_fen: number;
  disputed_reason: string | null;
  objected_at: string | null;
  objection_outcome: string | null;
  findings: number | null;
  score: number | null;
  flagged: boolean | null;
  project_name: string;
  seller_name: string;
  buyer_name: string;
}

/**
 * A page of an office's queue in one statement (each round trip costs the api more than the work it
 * carries): it counts the cut-off day for "nearly due" ($2 today plus $3 working days, from the
 * calendar table), picks the page's keys, and returns the page's rows, the queue's size and the
 * calendar of the years the page's deadlines fall in ($6–$7), from which the api counts the working
 * days left.
 *
 * The keys: the due entries from the offset on (a range of the deadline index), then — when they run
 * out within the page — the rest from where they begin (of the score index). Where the rest begins
 * is known without counting when the due entries ended inside this page; only a page entirely past
 * them counts them (no more entries than its offset). The total is the sum of the office's count
 * rows. Only the page's keys are joined to applications and the versions applied for.
 */
const PAGE = `
  WITH due_by AS (SELECT ${addWorkingDaysSql('$2::date', '$3::int')} AS day),
  due AS (
    SELECT registration_id FROM registration_queue_entry
     WHERE office_id = $1 AND deadline_on <= (SELECT day FROM due_by)
     ORDER BY deadline_on, score DESC, created_at, registration_id
    OFFSET $5 LIMIT $4
  ), taken AS (SELECT count(*)::int AS n FROM due),
  rest AS (
    SELECT registration_id FROM registration_queue_entry
     WHERE office_id = $1 AND (deadline_on > (SELECT day FROM due_by) OR deadline_on IS NULL)
     ORDER BY score DESC, deadline_on, created_at, registration_id
    OFFSET CASE WHEN (SELECT n FROM taken) > 0 THEN 0
                ELSE greatest($5 - (SELECT count(*) FROM registration_queue_entry
                                     WHERE office_id = $1 AND deadline_on <= (SELECT day FROM due_by)), 0) END
     LIMIT $4 - (SELECT n FROM taken)
  ), rows AS (
    SELECT p.n, r.id, r.contract_id, r.kind, r.status, r.accepted_on::text AS accepted_on,
           r.deadline_on::text AS deadline_on, r.technology_amount_fen, r.disputed_reason, r.objected_at,
           r.objection_outcome, s.findings, s.score, s.flagged,
           v.content->>'projectName' AS project_name, v.content->'seller'->>'name' AS seller_name,
           v.content->'buyer'->>'name' AS buyer_name
      FROM unnest(array(SELECT registration_id FROM due UNION ALL SELECT registration_id FROM rest))
           WITH ORDINALITY AS p (id, n)
      JOIN contract_registration r ON r.id = p.id
      -- The version applied for names the project and the parties, as filed.
      JOIN contract_version v ON v.contract_id = r.contract_id AND v.version = r.contract_version
      LEFT JOIN risk_score s ON s.contract_id = r.contract_id AND r.kind <> 'cancellation'
  )
  SELECT (SELECT coalesce(sum(entries), 0)::int FROM registration_queue_count WHERE office_id = $1) AS total,
         (SELECT coalesce(json_agg(c), '[]') FROM (${calendarRowsSql('$6', '$7')}) c) AS calendar,
         (SELECT coalesce(json_agg(rows ORDER BY rows.n), '[]') FROM rows) AS rows`;

/**
 * The auditors' queue of each office, as a narrow ranking table (`registration_queue_entry`) kept in
 * step with the applications: every insert or update of a `ContractRegistration` through TypeORM
 * (whichever service makes it) rewrites its row in the same transaction — this class is a TypeORM
 * subscriber for that. A write to `contract_registration` in plain SQL must call `sync` itself.
 *
 * The order: the applications due by the cut-off day (overdue or nearly due) first, by deadline,
 * then by risk score, highest first; then the rest by score, then deadline (awaited documents, with
 * no deadline, after the others of their score), then age. The cut-off moves with the day, so it is
 * not stored: the due half is a range of one index (deadline ≤ cut-off), the rest is read from the
 * other (by score) with the due ones filtered out, and a page takes from the first what it can and
 * the rest from the second — reading a page's worth of index entries past its offset, and joining
 * only the page's rows to applications and the versions applied for.
 */
@Injectable()
export class RegistrationQueue implements OnModuleInit, EntitySubscriberInterface<ContractRegistration> {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    if (!this.dataSource.subscribers.includes(this)) this.dataSource.subscribers.push(this);
  }

  listenTo() {
    return ContractRegistration;
  }

  async afterInsert(event: InsertEvent<ContractRegistration>): Promise<void> {
    if (event.entity?.id)
      await syncRegistrationQueue((sql, params) => event.queryRunner.query(sql, params), [event.entity.id]);
  }

  async afterUpdate(event: UpdateEvent<ContractRegistration>): Promise<void> {
    const id = (event.entity as Partial<ContractRegistration> | undefined)?.id ?? event.databaseEntity?.id;
    if (id) await syncRegistrationQueue((sql, params) => event.queryRunner.query(sql, params), [id]);
  }

  /** Brings the queue rows of these applications in step, in the caller's transaction. */
  sync(registrationIds: string[]): Promise<void> {
    return syncRegistrationQueue((sql, params) => this.txHost.tx.query(sql, params), registrationIds);
  }

  /**
   * One page of an office's queue and the queue's size, an application counting as nearly due up to
   * `dueSoon` working days from `today`; with the calendars of `years`.
   */
  async page(
    officeId: string,
    today: string,
    dueSoon: number,
    years: [number, number],
    limit: number,
    offset: number,
  ): Promise<{ total: number; calendarOf: (year: number) => CalendarYear; rows: QueuePageRow[] }> {
    const [page] = await preparedQuery<{ total: number; calendar: CalendarRow[]; rows: QueuePageRow[] }>(
      this.txHost.tx,
      'registration-queue-page',
      PAGE,
      [officeId, today, dueSoon, limit, offset, years[0], years[1]],
    );
    return { total: page.total, calendarOf: toCalendars(page.calendar), rows: page.rows };
  }
}
