import { DomainError, NotFoundError, ValidationFailedError } from '@market/http';

export const StatsErrors = {
  /** A date that does not exist (2026-02-30), or a range that ends before it starts. */
  badRange: (field: 'from' | 'to', message: string) => new ValidationFailedError([{ field, message }]),
  countyNotFound: (regionCode: string) => new NotFoundError('demonstration_county', regionCode),
  alreadyDesignated: (regionCode: string) =>
    new DomainError('STATS.COUNTY_DESIGNATED', 'conflict', `${regionCode} is already a demonstration county`, {
      regionCode,
    }),
};
