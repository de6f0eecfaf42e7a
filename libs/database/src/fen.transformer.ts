import type { ValueTransformer } from 'typeorm';

/**
 * `bigint` columns come back from pg as strings; amounts in fen (and durations in ms) stay far
 * below 2^53, so they are numbers in code and JSON. A value that would lose precision is an
 * error, not a silent rounding.
 */
export const fenTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => {
    if (value === null) return null;
    const amount = Number(value);
    if (!Number.isSafeInteger(amount)) throw new Error(`Amount ${value} is beyond the safe integer range`);
    return amount;
  },
};
