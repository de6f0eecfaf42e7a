import { ValidationFailedError } from '@market/http';

export const StatsErrors = {
  /** A date that does not exist (2026-02-30), or a range that ends before it starts. */
  badRange: (field: 'from' | 'to', message: string) => new ValidationFailedError([{ field, message }]),
};
