import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Between } from 'typeorm';
import { AuditLog } from '@market/audit';
import { preparedQuery } from '@market/database';
import { ValidationFailedError } from '@market/http';
import { Actor } from '@market/identity';
import { CalendarYearInput, CalendarYearView } from './dto/registration.dto';
import { WorkingCalendarDay, WorkingCalendarYear } from './entities/working-calendar.entity';
import {
  addWorkingDays,
  CalendarYear,
  DayKind,
  FIXED_HOLIDAYS,
  provisionalYear,
  workingDaysBetween,
} from './domain/working-days';

const PROVISIONAL_HOLIDAYS_SQL = FIXED_HOLIDAYS.map(([monthDay]) => `'${monthDay}'`).join(', ');

/**
 * The working-day calendar registration deadlines are counted on: each year's official exceptions
 * (holidays on weekdays, 调休 weekend days worked) as data, which admins enter for the years to come.
 */
/**
 * A year's notice (`source`) or one of its exceptional days (`day`), in one read; `first` and `last`
 * are the placeholders (or expressions) of the years, so that other statements can embed it.
 */
export const calendarRowsSql = (first: string, last: string) => `
  SELECT year, source, NULL::text AS day, NULL::text AS kind, NULL::text AS name
    FROM working_calendar_year WHERE year BETWEEN ${first} AND ${last}
  UNION ALL
  SELECT NULL, NULL, day::text, kind, name
    FROM working_calendar_day WHERE day BETWEEN make_date(${first}, 1, 1) AND make_date(${last}, 12, 31)`;

const READ_YEARS = calendarRowsSql('$1', '$2');

/**
 * `addWorkingDays(start, n)` as an SQL expression, for a statement that needs the day inside itself
 * (the auditors' queue: its cut-off for "nearly due" is a working-day count from today). It must say
 * what `isWorkingDay` and `provisionalYear` say — an exception of a year whose notice is entered
 * decides; in a year without one the fixed-date holidays are off; otherwise Monday to Friday work —
 * and `test/registration-queue.e2e-spec.ts` holds the two together over whole years. `n` is small
 * (a few days): three calendar days per working day, plus a month, always hold enough of them.
 */
export const addWorkingDaysSql = (start: string, n: string) => `
  (CASE WHEN ${n} <= 0 THEN ${start}
        ELSE (SELECT g.day
                FROM (SELECT d::date AS day
                        FROM generate_series(${start} + 1, ${start} + 31 + 3 * ${n}, interval '1 day') AS d) g
                LEFT JOIN working_calendar_year y ON y.year = extract(year FROM g.day)::int
                LEFT JOIN working_calendar_day w ON w.day = g.day AND y.year IS NOT NULL
               WHERE CASE WHEN w.day IS NOT NULL THEN w.kind = 'workday'
                          WHEN y.year IS NULL AND to_char(g.day, 'MM-DD') IN (${PROVISIONAL_HOLIDAYS_SQL}) THEN false
                          ELSE extract(isodow FROM g.day) < 6 END
               ORDER BY g.day OFFSET ${n} - 1 LIMIT 1) END)`;

export interface CalendarRow {
  year: number | null;
  source: string | null;
  day: string | null;
  kind: DayKind | null;
  name: string | null;
}

/** The years' calendars from the rows of `calendarRowsSql`; a year without its notice is provisional. */
export function toCalendars(rows: CalendarRow[]): (year: number) => CalendarYear {
  const calendars = new Map<number, CalendarYear>();
  for (const row of rows) {
    if (row.year !== null) calendars.set(row.year, { year: row.year, source: row.source, days: new Map() });
  }
  for (const row of rows) {
    if (row.day === null) continue;
    calendars.get(Number(row.day.slice(0, 4)))?.days.set(row.day, { kind: row.kind!, name: row.name! });
  }
  return (year: number) => {
    let calendar = calendars.get(year);
    if (!calendar) {
      calendar = provisionalYear(year);
      calendars.set(year, calendar);
    }
    return calendar;
  };
}

@Injectable()
export class WorkingCalendarService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly audit: AuditLog,
  ) {}

  /**
   * The calendars of these years (a year without its notice entered is provisional), read afresh
   * each time — one prepared statement — so an admin's change applies at once in every process.
   */
  async years(first: number, last: number): Promise<(year: number) => CalendarYear> {
    return toCalendars(
      await preparedQuery<CalendarRow>(this.txHost.tx, 'working-calendar-years', READ_YEARS, [first, last]),
    );
  }

  /** The `n`th working day after `start`. */
  async addWorkingDays(start: string, n: number): Promise<string> {
    const year = Number(start.slice(0, 4));
    return addWorkingDays(start, n, await this.years(year, year + 1));
  }

  async workingDaysBetween(from: string, to: string): Promise<number> {
    const [a, b] = from < to ? [from, to] : [to, from];
    return workingDaysBetween(from, to, await this.years(Number(a.slice(0, 4)), Number(b.slice(0, 4))));
  }

  async view(year: number): Promise<CalendarYearView> {
    const calendar = (await this.years(year, year))(year);
    return {
      year,
      official: calendar.source !== null,
      source: calendar.source,
      days: [...calendar.days.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([date, { kind, name }]) => ({ date, kind, name })),
    };
  }

  /** An admin enters (or corrects) a year's notice: its exceptions replace the year's old ones. */
  async replace(admin: Actor, year: number, input: CalendarYearInput): Promise<CalendarYearView> {
    const tx = this.txHost.tx;
    const outside = input.days.find((d) => !d.date.startsWith(`${year}-`));
    if (outside) throw new ValidationFailedError([{ field: 'days', message: `${outside.date} is not in ${year}` }]);
    await tx.getRepository(WorkingCalendarDay).delete({ day: Between(`${year}-01-01`, `${year}-12-31`) });
    await tx.getRepository(WorkingCalendarYear).save({ year, source: input.source });
    if (input.days.length > 0) {
      await tx
        .getRepository(WorkingCalendarDay)
        .insert(input.days.map((d) => ({ day: d.date, kind: d.kind, name: d.name })));
    }
    await this.audit.append(`calendar:${year}`, {
      actorId: admin.userId,
      action: 'calendar.replaced',
      detail: { source: input.source, days: input.days.length },
    });
    return this.view(year);
  }
}
