/**
 * Working days on China's calendar: Monday to Friday, except public holidays (and the weekdays added
 * to them), plus the weekend days worked in exchange (调休). The exceptions come from each year's
 * State Council notice, kept as data (`working_calendar_day`, editable by admins); for a year whose
 * notice is not entered yet, only weekends and the fixed-date statutory holidays are known
 * (1 January, 1–2 May, 1–3 October), and the calendar says so (`official: false`).
 */
export type DayKind = 'holiday' | 'workday';

export interface CalendarYear {
  year: number;
  /** The notice the exceptions come from; null when the year has none entered. */
  source: string | null;
  /** Exceptions to the weekday rule, by date (YYYY-MM-DD). */
  days: Map<string, { kind: DayKind; name: string }>;
}

/** Fixed-date statutory holidays (全国年节及纪念日放假办法): known before a year's notice is out. */
export const FIXED_HOLIDAYS: [string, string][] = [
  ['01-01', '元旦'],
  ['05-01', '劳动节'],
  ['05-02', '劳动节'],
  ['10-01', '国庆节'],
  ['10-02', '国庆节'],
  ['10-03', '国庆节'],
];

/** A year without its notice entered: weekends and the fixed-date holidays only. */
export function provisionalYear(year: number): CalendarYear {
  return {
    year,
    source: null,
    days: new Map(FIXED_HOLIDAYS.map(([md, name]) => [`${year}-${md}`, { kind: 'holiday' as const, name }])),
  };
}

const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

export function isWorkingDay(date: string, calendar: CalendarYear): boolean {
  const exception = calendar.days.get(date);
  if (exception) return exception.kind === 'workday';
  const day = weekday(date);
  return day !== 0 && day !== 6;
}

export function nextDate(date: string, days = 1): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The `n`th working day after `start` (the start day itself not counted: a period that starts on
 * the day of acceptance runs from the next day, as periods do under the Civil Code, art. 201).
 * `calendarOf` gives each year's calendar.
 */
export function addWorkingDays(start: string, n: number, calendarOf: (year: number) => CalendarYear): string {
  let date = start;
  let left = n;
  while (left > 0) {
    date = nextDate(date);
    if (isWorkingDay(date, calendarOf(Number(date.slice(0, 4))))) left--;
  }
  return date;
}

/** Working days from `from` (exclusive) to `to` (inclusive); negative when `to` is before `from`. */
export function workingDaysBetween(from: string, to: string, calendarOf: (year: number) => CalendarYear): number {
  if (to === from) return 0;
  const [a, b, sign] = to > from ? [from, to, 1] : [to, from, -1];
  let count = 0;
  for (let date = nextDate(a); date <= b; date = nextDate(date)) {
    if (isWorkingDay(date, calendarOf(Number(date.slice(0, 4))))) count++;
  }
  return sign * count;
}

/**
 * `workingDaysBetween(from, date)` for each of several dates, in one walk over their span rather than
 * one walk per date (the auditors' queue shows the working days left of every row of a page).
 */
export function workingDaysFrom(
  from: string,
  dates: readonly string[],
  calendarOf: (year: number) => CalendarYear,
): Map<string, number> {
  const result = new Map<string, number>();
  if (dates.length === 0) return result;
  const sorted = [...new Set([from, ...dates])].sort();
  // Working days in (first, d] for every d of the span, counted once.
  const upTo = new Map<string, number>([[sorted[0], 0]]);
  let count = 0;
  for (let date = nextDate(sorted[0]); date <= sorted[sorted.length - 1]; date = nextDate(date)) {
    if (isWorkingDay(date, calendarOf(Number(date.slice(0, 4))))) count++;
    upTo.set(date, count);
  }
  for (const date of dates) result.set(date, upTo.get(date)! - upTo.get(from)!);
  return result;
}

/**
 * China's 2026 holidays and exchanged working days, from 国务院办公厅关于2026年部分节假日安排的通知
 * (State Council General Office, 4 November 2025), as the registration rules digest records them.
 * Shipped as the migration's seed of `working_calendar_day`; kept here too for the specs.
 */
export const CALENDAR_2026_SOURCE = '国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04)';

const range = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = from; d <= to; d = nextDate(d)) out.push(d);
  return out;
};

export const CALENDAR_2026: { date: string; kind: DayKind; name: string }[] = [
  ...range('2026-01-01', '2026-01-03').map((date) => ({ date, kind: 'holiday' as const, name: '元旦' })),
  ...range('2026-02-15', '2026-02-23').map((date) => ({ date, kind: 'holiday' as const, name: '春节' })),
  ...range('2026-04-04', '2026-04-06').map((date) => ({ date, kind: 'holiday' as const, name: '清明节' })),
  ...range('2026-05-01', '2026-05-05').map((date) => ({ date, kind: 'holiday' as const, name: '劳动节' })),
  ...range('2026-06-19', '2026-06-21').map((date) => ({ date, kind: 'holiday' as const, name: '端午节' })),
  ...range('2026-09-25', '2026-09-27').map((date) => ({ date, kind: 'holiday' as const, name: '中秋节' })),
  ...range('2026-10-01', '2026-10-07').map((date) => ({ date, kind: 'holiday' as const, name: '国庆节' })),
  { date: '2026-01-04', kind: 'workday', name: '元旦调休上班' },
  { date: '2026-02-14', kind: 'workday', name: '春节调休上班' },
  { date: '2026-02-28', kind: 'workday', name: '春节调休上班' },
  { date: '2026-05-09', kind: 'workday', name: '劳动节调休上班' },
  { date: '2026-09-20', kind: 'workday', name: '国庆节调休上班' },
  { date: '2026-10-10', kind: 'workday', name: '国庆节调休上班' },
];
