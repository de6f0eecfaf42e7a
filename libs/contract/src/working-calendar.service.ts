import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Between } from 'typeorm';
import { AuditLog } from '@market/audit';
import { ValidationFailedError } from '@market/http';
import { Actor } from '@market/identity';
import { CalendarYearInput, CalendarYearView } from './dto/registration.dto';
import { WorkingCalendarDay, WorkingCalendarYear } from './entities/working-calendar.entity';
import { addWorkingDays, CalendarYear, provisionalYear, workingDaysBetween } from './domain/working-days';

/**
 * The working-day calendar registration deadlines are counted on: each year's official exceptions
 * (holidays on weekdays, 调休 weekend days worked) as data, which admins enter for the years to come.
 */
const CACHE_MS = 60_000;

function toCalendars(years: WorkingCalendarYear[], days: WorkingCalendarDay[]): (year: number) => CalendarYear {
  const calendars = new Map<number, CalendarYear>();
  for (const row of years) calendars.set(row.year, { year: row.year, source: row.source, days: new Map() });
  for (const day of days) {
    const year = Number(day.day.slice(0, 4));
    calendars.get(year)?.days.set(day.day, { kind: day.kind, name: day.name });
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
   * Each process remembers the calendar rows it read for a minute (the queue asks on every page);
   * an admin's change applies at once in the process that made it, within a minute elsewhere.
   */
  private readonly cache = new Map<
    string,
    { at: number; rows: Promise<[WorkingCalendarYear[], WorkingCalendarDay[]]> }
  >();

  /** The calendars of these years (a year without its notice entered is provisional). */
  async years(first: number, last: number): Promise<(year: number) => CalendarYear> {
    const key = `${first}-${last}`;
    let cached = this.cache.get(key);
    if (!cached || Date.now() - cached.at > CACHE_MS) {
      cached = { at: Date.now(), rows: this.read(first, last) };
      cached.rows.catch(() => this.cache.delete(key));
      this.cache.set(key, cached);
    }
    const [years, days] = await cached.rows;
    return toCalendars(years, days);
  }

  private read(first: number, last: number): Promise<[WorkingCalendarYear[], WorkingCalendarDay[]]> {
    const tx = this.txHost.tx;
    return Promise.all([
      tx.getRepository(WorkingCalendarYear).find({ where: { year: Between(first, last) } }),
      tx.getRepository(WorkingCalendarDay).find({ where: { day: Between(`${first}-01-01`, `${last}-12-31`) } }),
    ]);
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
    this.cache.clear();
    await this.audit.append(`calendar:${year}`, {
      actorId: admin.userId,
      action: 'calendar.replaced',
      detail: { source: input.source, days: input.days.length },
    });
    return this.view(year);
  }
}
