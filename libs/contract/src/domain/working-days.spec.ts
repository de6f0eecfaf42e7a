import {
  addWorkingDays,
  CALENDAR_2026,
  CALENDAR_2026_SOURCE,
  CalendarYear,
  isWorkingDay,
  provisionalYear,
  workingDaysBetween,
  workingDaysFrom,
} from './working-days';

const y2026: CalendarYear = {
  year: 2026,
  source: CALENDAR_2026_SOURCE,
  days: new Map(CALENDAR_2026.map((d) => [d.date, { kind: d.kind, name: d.name }])),
};
const calendarOf = (year: number) => (year === 2026 ? y2026 : provisionalYear(year));

describe('working days on the 2026 calendar', () => {
  it('knows the holidays, the 调休 weekend days worked and ordinary weekends', () => {
    expect(isWorkingDay('2026-10-01', y2026)).toBe(false); // 国庆, a Thursday
    expect(isWorkingDay('2026-10-10', y2026)).toBe(true); // a Saturday worked in exchange
    expect(isWorkingDay('2026-09-20', y2026)).toBe(true); // a Sunday worked in exchange
    expect(isWorkingDay('2026-10-11', y2026)).toBe(false); // an ordinary Sunday
    expect(isWorkingDay('2026-02-23', y2026)).toBe(false); // Monday, last day of the Spring Festival
    expect(isWorkingDay('2026-03-02', y2026)).toBe(true);
  });

  it('counts 15 working days across the National Day week and its 调休 Saturday', () => {
    // Accepted Monday 21 September: 22–24 (3), 25–27 off, 28–30 (6), 1–7 October off,
    // 8, 9 (8), Saturday 10 worked (9), 12–16 (14), 19 (15).
    expect(addWorkingDays('2026-09-21', 15, calendarOf)).toBe('2026-10-19');
    expect(workingDaysBetween('2026-09-21', '2026-10-19', calendarOf)).toBe(15);
    expect(workingDaysBetween('2026-10-19', '2026-09-21', calendarOf)).toBe(-15);
  });

  it('knows only weekends and the fixed-date holidays for a year whose notice is not entered', () => {
    const y2027 = provisionalYear(2027);
    expect(y2027.source).toBeNull();
    expect(isWorkingDay('2027-01-01', y2027)).toBe(false);
    expect(isWorkingDay('2027-10-04', y2027)).toBe(true); // a Monday: only 1–3 October are fixed
    expect(addWorkingDays('2026-12-30', 2, calendarOf)).toBe('2027-01-04');
  });

  it('counts the working days to many dates in one walk, as it counts them one by one', () => {
    const from = '2026-09-30';
    const dates = ['2026-09-30', '2026-10-19', '2026-09-01', '2026-12-31', '2027-01-05', '2026-10-19', '2025-12-29'];
    const counted = workingDaysFrom(from, dates, calendarOf);
    for (const date of dates)
      expect([date, counted.get(date)]).toEqual([date, workingDaysBetween(from, date, calendarOf)]);
    expect(workingDaysFrom(from, [], calendarOf).size).toBe(0);
  });
});
