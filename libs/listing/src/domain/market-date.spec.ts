import { shanghaiDate } from './market-date';

describe('shanghaiDate', () => {
  it('is already the next day in Hunan from 16:00 UTC', () => {
    expect(shanghaiDate(new Date('2026-11-28T23:30:00Z'))).toBe('2026-11-29');
    expect(shanghaiDate(new Date('2026-11-28T16:00:00Z'))).toBe('2026-11-29');
  });

  it('is the UTC date from 00:00 to 15:59 UTC', () => {
    expect(shanghaiDate(new Date('2026-11-29T00:00:00Z'))).toBe('2026-11-29');
    expect(shanghaiDate(new Date('2026-11-28T15:59:59.999Z'))).toBe('2026-11-28');
  });

  it('agrees with the Asia/Shanghai time zone at every hour of a year', () => {
    const format = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' });
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 3600 * 1000) {
      expect(shanghaiDate(new Date(t))).toBe(format.format(new Date(t)));
    }
  });
});
